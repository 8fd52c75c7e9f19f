"""Benchmarks: `python -m bench` from the repository root. Figures are ratios against baselines
measured in the same run, so they mean the same on any machine."""

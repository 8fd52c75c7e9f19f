"""What tests share; a test imports from here, never from another test module.

Where the helpers that tests used to import from each other live now:
- `running`: RunningBot, TeamSetUp, set_up_team, TOKEN (were in tests/e2e/conftest.py)
- `journeys`: join, start_survey, stored_answers, assert_telegram_was_happy, create_team,
  open_survey, answer_survey, answer_quick_scan, run_a_cycle, start_command, join_in_group,
  anna_in_the_middle_of_a_survey, ask_for_a_deadline, ask_for_a_remark, export, cells_naming,
  PNG_SIGNATURE (were in e2e test modules)
- `words`: Words, WORDS, answer_everything; `scheduling`: reminders, invitations, team_with_survey,
  due_times; `webhooks`: SECRET, free_port, worker_settings; `browser`: browser_missing,
  sticking_out_on_a_phone; `model_for_tests`: small_model (was in tests/domain)
- `organisation_story`: the service tests' organisation story (`story` is a fixture of
  tests/services/conftest.py); `seeded`: the example report, seeded once per run
- `tiers`: which tests are `slow`; `processes`: waiting for a process with a bound
"""

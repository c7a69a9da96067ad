# SPDX-License-Identifier: MIT
# Advise stage: what-if care plans on top of the life runner, ranked by their
# effect on a goal (`fascia advise`).
fa_stage(advise SOURCES src/advise/goal.c src/advise/plan.c src/advise/run.c src/advise/output.c
         DEPS fa_life fa_report fa_scenario fa_physio fa_core)
list(APPEND FA_APP_SOURCES app/cmd_advise.c)

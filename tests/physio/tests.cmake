fa_test(physio_conformance SOURCES tests/physio/test_conformance.c LIBS fa_physio)
fa_test(physio_modules SOURCES tests/physio/test_modules.c LIBS fa_physio)
fa_test(physio_validate SOURCES tests/physio/test_validate.c LIBS fa_physio)
fa_test(physio_runner_day SOURCES tests/physio/test_runner_day.c LIBS fa_physio fa_model)

fa_test(measure SOURCES tests/measure/test_measure.c LIBS fa_measure)

fa_test(measure SOURCES tests/measure/test_measure.c LIBS fa_measure)
fa_test(glide SOURCES tests/measure/test_glide.c LIBS fa_model fa_measure)
fa_test(sleeves SOURCES tests/measure/test_sleeves.c LIBS fa_model fa_measure)

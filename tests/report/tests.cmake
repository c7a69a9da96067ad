fa_test(report_json SOURCES tests/report/test_json.c LIBS fa_report)
fa_test(report_files SOURCES tests/report/test_files.c LIBS fa_report)
fa_test(report_checkpoint SOURCES tests/report/test_checkpoint.c LIBS fa_report)

# SPDX-License-Identifier: MIT
fa_test(osim SOURCES tests/osim/test_osim.c LIBS fa_osim)

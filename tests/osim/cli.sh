#!/bin/sh
# SPDX-License-Identifier: MIT
# CLI checks for the OpenSim commands. Usage: cli.sh path/to/fascia (run from the repo root).
set -u
F="$1"
D=data/opensim
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() { if eval "$2"; then :; else echo "FAIL: $1"; fail=1; fi; }

"$F" muscle-lengths $D/models/opensim4/Rajagopal2016.osim $D/motions/running_rajagopal2016/subject01_run_IK.mot -o "$T/l.csv"
check "muscle-lengths exit 0" "[ $? -eq 0 ]"
check "477 rows + header" "[ \$(wc -l < '$T/l.csv') -eq 478 ]"
check "81 columns (time + 80 muscles)" "[ \$(head -1 '$T/l.csv' | tr ',' '\n' | wc -l) -eq 81 ]"
check "first column is time" "[ \"\$(head -1 '$T/l.csv' | cut -d, -f1)\" = time ]"
check "muscle named as in the model" "head -1 '$T/l.csv' | grep -q ',glmed1_r,'"
check "first time 0.23" "[ \"\$(sed -n 2p '$T/l.csv' | cut -d, -f1)\" = 0.23 ]"
check "no temporary file left" "[ \$(ls '$T' | wc -l) -eq 1 ]"
# every length is a positive number below 1 m
check "lengths in (0, 1) m" "awk -F, 'NR>1{for(i=2;i<=NF;i++) if(!(\$i>0 && \$i<1)) bad=1} END{exit bad}' '$T/l.csv'"

"$F" muscle-lengths $D/models/opensim4/Rajagopal2016.osim $D/motions/running_rajagopal2016/subject01_run_IK.mot --moment-arm knee_angle_r -o "$T/ma.csv"
check "moment arms: vasti negative, hamstrings positive, glutei zero about the knee" "awk -F, 'NR==1{for(i=1;i<=NF;i++) c[\$i]=i} NR>1{if(!(\$c[\"vaslat_r\"]<0 && \$c[\"bflh_r\"]>0 && \$c[\"glmed1_r\"]==0)) bad=1} END{exit bad}' '$T/ma.csv'"

"$F" motion $D/models/opensim4/FullBodyModel_Hamner2010_v2_0.osim $D/motions/running_hamner2010/subject02_running_ik.mot > "$T/m.txt"
check "motion exit 0" "[ $? -eq 0 ]"
check "motion frames and rate" "grep -q 'frames 599, time 0.0000 .. 9.9667 s, duration 9.9667 s, rate 60.000 Hz, angles degrees' '$T/m.txt'"
check "cadence of the Hamner run" "grep -q 'cadence 174.4 steps/min' '$T/m.txt'"
check "knee range in degrees" "grep -q '^knee_angle_r,deg,-111' '$T/m.txt'"

"$F" pose $D/models/opensim4/Rajagopal2016.osim > "$T/p0.txt"
check "pose lists 23 bodies" "[ \$(grep -c '^body,' '$T/p0.txt') -eq 23 ]"
check "pose lists 66 markers" "[ \$(grep -c '^marker,' '$T/p0.txt') -eq 66 ]"
check "pelvis at default height" "grep -q '^body,pelvis,0.000000,0.940000,0.000000' '$T/p0.txt'"
"$F" pose $D/models/opensim4/Rajagopal2016.osim knee_angle_r=90 > "$T/p1.txt"
check "knee flexion moves the right tibia only" "[ \"\$(grep '^body,tibia_l' '$T/p0.txt')\" = \"\$(grep '^body,tibia_l' '$T/p1.txt')\" ] && [ \"\$(grep '^body,talus_r' '$T/p0.txt')\" != \"\$(grep '^body,talus_r' '$T/p1.txt')\" ]"

"$F" pose $D/models/opensim4/Rajagopal2016.osim knee=90 2> "$T/e.txt"
check "unknown coordinate rejected" "[ $? -eq 2 ] && grep -q \"no coordinate 'knee'\" '$T/e.txt'"
"$F" muscle-lengths tests/osim/bad/unclosed_tag.osim $D/motions/running_rajagopal2016/subject01_run_IK.mot -o "$T/x.csv" 2> "$T/e.txt"
check "bad model: exit 1, file:line:col" "[ $? -eq 1 ] && grep -q 'unclosed_tag.osim:24:24: malformed XML' '$T/e.txt' && [ ! -e '$T/x.csv' ]"
"$F" muscle-lengths tests/osim/mini.osim tests/osim/bad/bad_cell.mot 2> "$T/e.txt"
check "bad motion: exit 1, file:line:col" "[ $? -eq 1 ] && grep -q 'bad_cell.mot:9:6: row 2' '$T/e.txt'"
"$F" muscle-lengths tests/osim/mini.osim tests/osim/bad/unknown_column.mot --strict 2> "$T/e.txt"
check "strict unknown column" "[ $? -eq 1 ] && grep -q 'knee_angle' '$T/e.txt'"
"$F" muscle-lengths tests/osim/mini.osim tests/osim/bad/unknown_column.mot > "$T/u.csv"
check "non-strict ignores it" "[ $? -eq 0 ] && [ \$(wc -l < '$T/u.csv') -eq 4 ]"
"$F" import $D/models/opensim4/Rajagopal2016.osim -o "$T/r4.yaml"
check "import exit 0" "[ $? -eq 0 ]"
"$F" import $D/models/opensim3/Rajagopal2015.osim > "$T/r3.yaml"
check "import to stdout" "[ $? -eq 0 ]"
"$F" check "$T/r4.yaml" > "$T/c4.txt"
check "imported body file passes fascia check" "[ $? -eq 0 ]"
check "22 bodies, 66 markers + 288 path points, 80 muscles" "grep -q '^bodies  *22' '$T/c4.txt' && grep -q '^landmarks  *354' '$T/c4.txt' && grep -q '^muscles  *80' '$T/c4.txt'"
"$F" check "$T/r3.yaml" > "$T/c3.txt"
check "OpenSim 3 and 4 files give the same compiled model" "[ \"\$(grep '^hash' '$T/c3.txt')\" = \"\$(grep '^hash' '$T/c4.txt')\" ]"
[ $fail -eq 0 ] && echo "cli: all checks passed"
exit $fail

#!/bin/sh
# SPDX-License-Identifier: MIT
# fascia build-runner / body / posture end to end. $1 = the fascia binary.
set -e
F="$1"
T="${TMPDIR:-/tmp}/fa_anatomy_cli_$$"
mkdir -p "$T"
trap 'rm -rf "$T"' EXIT
"$F" build-runner -o "$T/runner.yaml"
cmp "$T/runner.yaml" data/bodies/runner.yaml
"$F" check -q "$T/runner.yaml"
"$F" body "$T/runner.yaml" > "$T/body.txt"
grep -q "^  SBL_r  *A " "$T/body.txt"
grep -q "^  SFL_l  *C " "$T/body.txt"
grep -q "^  LL_r  *B " "$T/body.txt"
grep -q "iliotibial_band_r" "$T/body.txt"
# muscles in their bags (opt-in, --bags): every bag of bags.csv is a structure of `fascia body`
if grep -q "epimysium_" "$T/body.txt"; then exit 1; fi
"$F" build-runner --bags data/anatomy/bags.csv -o "$T/bagged.yaml"
"$F" body "$T/bagged.yaml" > "$T/bagged.txt"
grep -q "^  epimysium_semimembranosus_r  *cords  *12  *membranes  *36 " "$T/bagged.txt"
grep -q "^  epimysium_gastrocnemius_med_l " "$T/bagged.txt"
"$F" posture > "$T/postures.txt"
grep -q "^desk_slumped$" "$T/postures.txt"
"$F" posture ober --body "$T/runner.yaml" > "$T/ober.txt"
grep -q "^posture ober: static equilibrium" "$T/ober.txt"
# a coordinate override moves the posture: more hip adduction, more ITB strain
a0=$("$F" posture ober hip_adduction_r=0 | awk '$1 == "iliotibial_band_r" {print $2}')
a20=$("$F" posture ober hip_adduction_r=20 | awk '$1 == "iliotibial_band_r" {print $2}')
awk -v a="$a0" -v b="$a20" 'BEGIN { exit !(b > a + 0.005) }'
if "$F" posture ober no_such_coord=3 2> "$T/err3.txt"; then exit 1; fi
grep -q "unknown coordinate 'no_such_coord'" "$T/err3.txt"
# errors: unknown posture and a broken table exit 1 with a message
if "$F" posture no_such_posture 2> "$T/err.txt"; then exit 1; fi
grep -q "unknown posture 'no_such_posture'" "$T/err.txt"
mkdir -p "$T/anat"
cp data/anatomy/*.csv "$T/anat/"
sed -i 's/^SBL,2,calc_plantar_med_{s}/SBL,2,calc_plantar_X_{s}/' "$T/anat/tracks.csv"
if "$F" build-runner --anatomy "$T/anat" -o "$T/bad.yaml" 2> "$T/err2.txt"; then exit 1; fi
grep -q "anat/tracks.csv:[0-9]*:1: unknown landmark 'calc_plantar_X_r'" "$T/err2.txt"
test ! -e "$T/bad.yaml"
cp data/anatomy/tracks.csv "$T/anat/"
sed -i 's/^tfl_{s},/tfl_X_{s},/' "$T/anat/bags.csv"
if "$F" build-runner --anatomy "$T/anat" --bags "$T/anat/bags.csv" -o "$T/bad.yaml" 2> "$T/err4.txt"; then exit 1; fi
grep -q "anat/bags.csv:[0-9]*:1: unknown muscle unit 'tfl_X_r'" "$T/err4.txt"
echo "anatomy cli ok"

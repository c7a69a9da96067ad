#!/bin/sh
# CLI checks for `fascia tug`: clear errors and exit codes on bad input, a
# short run on the built-in shirt with watched nodes and a thin gliding layer,
# CSV/VTK written, a short tug on the runner body, bad output path refused.
# usage: tug.sh FASCIA
set -u
F="$1"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
expect() { # expect CODE PATTERN -- args...
    code=$1; pat=$2; shift 3
    "$F" "$@" >"$T/out" 2>&1
    rc=$?
    if [ "$rc" -ne "$code" ] || ! grep -q -- "$pat" "$T/out"; then
        echo "FAIL: fascia $* -> rc $rc (want $code), output:"; cat "$T/out"; fail=1
    fi
}
expect 0 "usage: fascia tug" -- tug --help
expect 2 "unknown option" -- tug --bogus
expect 2 "expects a number, found 'abc'" -- tug --hold abc
expect 2 "expects three numbers" -- tug --force 1,2
expect 2 "prestrain expects" -- tug --prestrain 0.5
expect 1 "no-such-body.yaml" -- tug "$T/no-such-body.yaml"
expect 1 "no node 'nowhere'" -- tug --node nowhere --hold 0.001 --release 0
expect 2 "glide-h expects a layer thickness" -- tug --glide-h 5
expect 2 "expects a number, found '1mm'" -- tug --glide-h 1mm
expect 2 "watch expects node names separated by commas" -- tug --watch shirt.32.0,,shirt.0.0
expect 2 "watch expects node names separated by commas" -- tug --watch ,shirt.0.0
expect 1 "no node 'nowhere' to watch" -- tug --watch shirt.32.0,nowhere --hold 0.001 --release 0
expect 0 "decay length" -- tug --ramp 0.002 --hold 0.004 --release 0.006 --csv "$T/t.csv" --vtk "$T/t.vtk" \
    --watch shirt.32.0,shirt.0.0 --glide-h 43e-6
grep -q "^  shirt.32.0 .* um" "$T/out" && grep -q "^  shirt.0.0 .* um" "$T/out" ||
    { echo "FAIL: watched nodes not reported"; cat "$T/out"; fail=1; }
grep -q "after letting go at 0.006 s" "$T/out" || { echo "FAIL: release line missing"; cat "$T/out"; fail=1; }
head -1 "$T/t.csv" | grep -q ",far_edge_lift_m,tug_point_m,far_point_m,shirt.32.0_m,shirt.0.0_m$" ||
    { echo "FAIL: CSV displacement columns"; head -1 "$T/t.csv"; fail=1; }
[ -s "$T/t.csv" ] && head -1 "$T/t.csv" | grep -q "^time," || { echo "FAIL: CSV not written"; fail=1; }
[ -s "$T/t.vtk" ] && head -1 "$T/t.vtk" | grep -q "vtk DataFile" || { echo "FAIL: VTK not written"; fail=1; }
# the runner body: a pull at the back of the neck reaches down the back line's
# erector fascia, not past the skeleton to the forearm (docs/tug.md)
expect 0 "watched nodes" -- tug data/bodies/runner.yaml --node nuchal_fascia_r.0 --ramp 0.005 --hold 0.01 \
    --release 0.01 --watch erector_thoracic_r.3,forearm_extensors_r_tendon.3
awk '$1 == "erector_thoracic_r.3" { ok = ($4 > 0.1) } END { exit !ok }' "$T/out" ||
    { echo "FAIL: runner: the thoracic erector fascia does not follow the neck"; cat "$T/out"; fail=1; }
awk '$1 == "forearm_extensors_r_tendon.3" { ok = ($4 < 0.001 && $4 > -0.001) } END { exit !ok }' "$T/out" ||
    { echo "FAIL: runner: the forearm moves with the neck"; cat "$T/out"; fail=1; }
expect 1 "$T/missing-dir/x.csv" -- tug --ramp 0.001 --hold 0.001 --release 0 --csv "$T/missing-dir/x.csv"
[ $fail -eq 0 ] && echo "tug CLI: all checks passed"
exit $fail

#!/bin/sh
# CLI checks for `fascia tug`: clear errors and exit codes on bad input, a
# short run on the built-in shirt, CSV/VTK written, bad output path refused.
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
expect 0 "decay length" -- tug --ramp 0.002 --hold 0.004 --release 0.002 --csv "$T/t.csv" --vtk "$T/t.vtk"
[ -s "$T/t.csv" ] && head -1 "$T/t.csv" | grep -q "^time," || { echo "FAIL: CSV not written"; fail=1; }
[ -s "$T/t.vtk" ] && head -1 "$T/t.vtk" | grep -q "vtk DataFile" || { echo "FAIL: VTK not written"; fail=1; }
expect 1 "$T/missing-dir/x.csv" -- tug --ramp 0.001 --hold 0.001 --release 0 --csv "$T/missing-dir/x.csv"
[ $fail -eq 0 ] && echo "tug CLI: all checks passed"
exit $fail

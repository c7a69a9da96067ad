#!/bin/sh
# SPDX-License-Identifier: MIT
# fascia check: exit codes 0 (valid), 1 (invalid, message on stderr with
# file:line:col), 2 (usage); the summary names the counts of the shirt.
FASCIA="$1"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$FASCIA" check data/bodies/shirt.yaml >"$tmp/out" 2>"$tmp/err"
[ $? -eq 0 ] && ok || bad "check shirt.yaml exit code"
grep -q "^nodes       6144 (3072 free, 3072 fixed, 0 anchored)" "$tmp/out" && ok || bad "shirt node count"
grep -q "^membranes   6016" "$tmp/out" && ok || bad "shirt membrane count"
grep -q "^interfaces  3072" "$tmp/out" && ok || bad "shirt interface count"
grep -q "^hash        [0-9a-f]\{16\}" "$tmp/out" && ok || bad "hash line"
[ -s "$tmp/err" ] && bad "stderr not empty on success" || ok

"$FASCIA" check data/bodies/shirt.yaml >"$tmp/out2" 2>/dev/null
cmp -s "$tmp/out" "$tmp/out2" && ok || bad "summary not deterministic"

"$FASCIA" check -q data/bodies/shirt-band.yaml tests/model/good/basic.yaml >"$tmp/out" 2>&1
[ $? -eq 0 ] && [ ! -s "$tmp/out" ] && ok || bad "--quiet on two good files"

"$FASCIA" check - <data/bodies/shirt.yaml >"$tmp/out3" 2>&1
[ $? -eq 0 ] && [ "$(grep "^hash" "$tmp/out3")" = "$(grep "^hash" "$tmp/out2")" ] && ok || bad "check - (stdin)"
printf 'nodes: {a: {position: [0, 0, 0]}}\n' | "$FASCIA" check - >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "^<stdin>:1:" "$tmp/err" && ok || bad "stdin error message"

# every body file the project ships compiles
for f in data/bodies/*.yaml; do
  "$FASCIA" check -q "$f" >"$tmp/out" 2>&1 && ok || bad "$f: $(cat "$tmp/out")"
done

"$FASCIA" check tests/bad_models/missing_unit.yaml >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && ok || bad "bad file exit code"
grep -q "^tests/bad_models/missing_unit.yaml:4:8: missing unit" "$tmp/err" && ok || bad "bad file message"
[ -s "$tmp/out" ] && bad "stdout not empty on error" || ok

"$FASCIA" check -q --list nodes data/bodies/shirt.yaml >"$tmp/out" 2>&1
[ $? -eq 0 ] && [ "$(wc -l <"$tmp/out")" -eq 6144 ] && grep -qx "shirt.32.47" "$tmp/out" && ok || bad "--list nodes"
"$FASCIA" check -q --list cords data/bodies/shirt-band.yaml >"$tmp/out" 2>&1
[ "$(head -1 "$tmp/out")" = "band.0" ] && [ "$(tail -1 "$tmp/out")" = "band.46" ] && ok || bad "--list cords"
"$FASCIA" check --list organs data/bodies/shirt.yaml >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "--list with an unknown kind: exit code 2"

"$FASCIA" check >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "no file: exit code 2"
"$FASCIA" check --bogus x.yaml >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "unknown option: exit code 2"
"$FASCIA" check --help >"$tmp/out" 2>&1
[ $? -eq 0 ] && grep -q "usage: fascia check" "$tmp/out" && ok || bad "--help"
"$FASCIA" check /nonexistent/file.yaml >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "cannot open" "$tmp/err" && ok || bad "missing file"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# Tools the benchmarks compare Sightline with (not needed by the tests): the forensic imagers
# dc3dd and dcfldd, and strace for the import profile. Installs those missing from Debian's
# archive when it can (as root, or with sudo); otherwise says so, and the benches skip them.
missing=""
for tool in dc3dd dcfldd strace; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
[ -z "$missing" ] && exit 0
echo "bench set-up: installing$missing"
if [ "$(id -u)" = 0 ]; then
  apt-get install -y $missing >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y $missing >/dev/null 2>&1; }
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo -n apt-get install -y $missing >/dev/null 2>&1
fi
for tool in $missing; do
  command -v "$tool" >/dev/null 2>&1 || echo "bench set-up: $tool is not installed; the benches that use it say so and go on"
done
exit 0

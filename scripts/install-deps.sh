#!/bin/sh
# Install the Debian 12 packages fascia needs to build and test (run as root).
set -e
PKGS="build-essential cmake pkg-config libyaml-dev libxml2-dev libsuitesparse-dev"
missing=""
for p in $PKGS; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
fi

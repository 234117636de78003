#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh: install the Debian packages listed in scripts/packages.txt that are
# not installed yet.  Idempotent and silent when everything is present; runs
# `apt-get update` only when something is missing.  Used by `make deps`.
set -eu

here=$(CDPATH="" cd -- "$(dirname -- "$0")" && pwd)
list=${1:-$here/packages.txt}

missing=
for pkg in $(sed -e 's/#.*//' "$list"); do
	status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
	case "$status" in
	ii*) ;;
	*) missing="$missing $pkg" ;;
	esac
done

[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
sudo=
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo=sudo
	else
		echo "deps: not root and no sudo; as root run: apt-get install$missing" >&2
		exit 1
	fi
fi
$sudo apt-get update -q
# shellcheck disable=SC2086 # word splitting of the package list is intended
$sudo env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -q --no-install-recommends $missing

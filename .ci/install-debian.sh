#!/usr/bin/env bash
# Install the Debian packages the test suite needs (idempotent; run as root).
#
#   virtuoso-opensource   SPARQL server (tests start a *private* instance via
#                         tests/servers.py on free ports; the system service is
#                         kept disabled so it never binds 1111/8890)
#   raptor2-utils         rapper (Turtle/N-Triples parser)
#   libapache-jena-java   Jena jars; Debian ships NO `riot` command, tests call
#                         `java -cp <jars> riotcmd.riot` (see tests/servers.py)
#   default-jre-headless  java, to run Jena
#   chromium, chromium-driver, fonts-liberation   browser tests of the HTML report
#   fonts-wqy-zenhei      a CJK font, so Chinese evidence in report.html renders as text
#
# Fast path: if every package is already installed, only re-checks that the
# system Virtuoso service is disabled and exits (no apt-get update).
#
# Another apt or dpkg at work (unattended-upgrades, a second CI job) holds the
# dpkg lock: apt-get waits for it up to KG_APT_LOCK_TIMEOUT seconds (default
# 600; DPkg::Lock::Timeout), and apt-get update, whose lists lock that option
# does not cover on every apt, is retried while the lock is held.
set -euo pipefail

PACKAGES=(
  virtuoso-opensource
  raptor2-utils
  libapache-jena-java
  default-jre-headless
  chromium
  chromium-driver
  fonts-liberation
  fonts-wqy-zenhei
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

missing=()
for p in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
  if [ "$status" != "install ok installed" ]; then
    missing+=("$p")
  fi
done

disable_system_virtuoso() {
  # The package's postinst may try to start the system instance (ports
  # 1111/8890). We never use it: stop it and keep it from starting again.
  local svc=virtuoso-opensource-7
  if [ -f "/etc/default/$svc" ]; then
    $SUDO sed -i 's/^RUN=yes/RUN=no/' "/etc/default/$svc"
  fi
  if [ -x "/etc/init.d/$svc" ]; then
    $SUDO /etc/init.d/$svc stop >/dev/null 2>&1 || true
    $SUDO update-rc.d "$svc" disable >/dev/null 2>&1 || true
  fi
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || true
  fi
}

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-debian: all packages already installed"
  disable_system_virtuoso
  exit 0
fi

echo "install-debian: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive

# Preseed Virtuoso's debconf questions so installation never prompts. An empty
# dba password makes the postinst leave the system daemon disabled (RUN=no).
$SUDO debconf-set-selections <<'EOF'
virtuoso-opensource-7 virtuoso-opensource-7/dba-password password
virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password
virtuoso-opensource-7 virtuoso-opensource-7/dba-password seen true
virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again seen true
virtuoso-opensource-7 virtuoso-opensource-7/register-odbc-dsn boolean false
EOF

# Keep package scripts from starting services while we install (containers
# usually already have such a policy; restore whatever was there afterwards).
POLICY=/usr/sbin/policy-rc.d
added_policy=0
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  added_policy=1
fi
cleanup() {
  if [ "$added_policy" -eq 1 ]; then
    $SUDO rm -f "$POLICY"
  fi
}
trap cleanup EXIT

LOCK_TIMEOUT="${KG_APT_LOCK_TIMEOUT:-600}"
WAIT=(-o "DPkg::Lock::Timeout=$LOCK_TIMEOUT")

apt_update() {
  # retried while another apt holds the lists lock (apt-get exits 100 and says "lock")
  local deadline=$(( $(date +%s) + LOCK_TIMEOUT )) log
  log="$(mktemp)"
  until $SUDO apt-get update -q "${WAIT[@]}" 2> >(tee "$log" >&2); do
    if ! grep -qi 'lock' "$log" || [ "$(date +%s)" -ge "$deadline" ]; then
      rm -f "$log"
      return 1
    fi
    echo "install-debian: another apt holds the lock; waiting (up to ${LOCK_TIMEOUT} s)" >&2
    sleep 5
  done
  rm -f "$log"
}

apt_update
$SUDO apt-get install -y -q --no-install-recommends "${WAIT[@]}" \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  "${missing[@]}"

disable_system_virtuoso
echo "install-debian: done"

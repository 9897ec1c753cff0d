#!/bin/sh
# Install the Debian packages Qt needs to run (offscreen and in a window),
# when we are root or have passwordless sudo. Otherwise print what is missing.
PKGS="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 \
fonts-dejavu-core libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 python3-venv"

command -v dpkg-query >/dev/null 2>&1 || exit 0   # not Debian: nothing we can do here
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "symdesk: these system packages are missing:$missing"
    echo "symdesk: install them with: sudo apt-get install$missing"
    exit 0
fi
echo "symdesk: installing system packages:$missing"
$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null

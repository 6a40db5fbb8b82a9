#!/usr/bin/env bash
# Browser tests drive Debian's Chromium. Install it when missing and we can (root with apt).
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null || true
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "Chromium is not installed: browser tests will be skipped (in CI they fail instead)."
fi

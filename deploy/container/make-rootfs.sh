#!/usr/bin/env bash
# Assembles the root filesystem of the edgesql container image from a Debian 12 system: the
# edgesql binary (debug sections stripped) at /usr/bin/edgesql, every shared library `ldd` names
# and the dynamic loader, the copyright files of the Debian packages they come from, Debian's
# /etc/os-release, /etc/passwd and /etc/group with the user edgesql (UID/GID 10001), the data
# directory /var/opt/edgesql owned by it, and an empty /tmp.
#
# The Dockerfile's build stage runs this script and its final stage is `FROM scratch` plus this
# tree, so the image is exactly what the runc test (tests/container/runc_test.py) runs.
#
#   deploy/container/make-rootfs.sh BINARY OUTDIR     # OUTDIR must not exist or be empty
#
# Prints the tree's total size in bytes on its last line: "rootfs size: N bytes".
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 BINARY OUTDIR" >&2
  exit 2
fi
binary=$1
out=$2
uid=10001

if [[ ! -x $binary ]]; then
  echo "make-rootfs: $binary is not an executable" >&2
  exit 1
fi
if [[ -e $out && -n $(ls -A "$out") ]]; then
  echo "make-rootfs: $out exists and is not empty" >&2
  exit 1
fi

# Debian 12 merges /lib into /usr/lib; ldd names libraries under /lib and the loader under /lib64.
mkdir -p "$out"/{usr/bin,usr/lib,usr/lib64,etc,var/opt/edgesql,tmp,proc,sys,dev}
ln -s usr/lib "$out/lib"
ln -s usr/lib64 "$out/lib64"

install -m 0755 "$binary" "$out/usr/bin/edgesql"
strip --strip-debug "$out/usr/bin/edgesql"

# Every library ldd resolves ("name => /path (addr)") and the loader ("/path (addr)"). A library
# ldd cannot find would make the image fail at its first start, so it fails the build here.
ldd_out=$(ldd "$binary")
if grep -q 'not found' <<<"$ldd_out"; then
  echo "make-rootfs: unresolved libraries:" >&2
  grep 'not found' <<<"$ldd_out" >&2
  exit 1
fi
mapfile -t libs < <(awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' <<<"$ldd_out")
if ((${#libs[@]} == 0)); then
  echo "make-rootfs: ldd named no libraries for $binary" >&2
  exit 1
fi
packages=()
for lib in "${libs[@]}"; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
  if command -v dpkg >/dev/null 2>&1; then
    pkg=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib" 2>/dev/null || true)
    [[ -n $pkg ]] && packages+=("${pkg%%:*}")
  fi
done

# Licences of what the image ships, as Debian packages them.
for pkg in $(printf '%s\n' "${packages[@]}" | sort -u); do
  if [[ -f /usr/share/doc/$pkg/copyright ]]; then
    mkdir -p "$out/usr/share/doc/$pkg"
    cp "/usr/share/doc/$pkg/copyright" "$out/usr/share/doc/$pkg/copyright"
  fi
done
if [[ -f /etc/os-release ]]; then
  cp -L /etc/os-release "$out/etc/os-release"
fi

cat >"$out/etc/passwd" <<EOF
root:x:0:0:root:/root:/usr/sbin/nologin
edgesql:x:$uid:$uid:edgesql:/var/opt/edgesql:/usr/sbin/nologin
EOF
cat >"$out/etc/group" <<EOF
root:x:0:
edgesql:x:$uid:
EOF
cat >"$out/etc/nsswitch.conf" <<EOF
passwd: files
group: files
hosts: files
EOF
printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' >"$out/etc/hosts"

chmod 0755 "$out" "$out/usr" "$out/usr/bin" "$out/etc" "$out/var" "$out/var/opt"
chmod 0644 "$out/etc/passwd" "$out/etc/group" "$out/etc/nsswitch.conf" "$out/etc/hosts"
chmod 1777 "$out/tmp"
chown "$uid:$uid" "$out/var/opt/edgesql"
chmod 0750 "$out/var/opt/edgesql"

echo "make-rootfs: $(wc -l <<<"$(printf '%s\n' "${libs[@]}")") libraries from ldd, packages: $(printf '%s\n' "${packages[@]}" | sort -u | tr '\n' ' ')"
echo "rootfs size: $(du -sb "$out" | cut -f1) bytes"

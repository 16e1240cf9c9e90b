#!/bin/sh
# tollguard installer: installs (or upgrades) the agent as a systemd service and connects it to the
# Asterisk and/or FreeSWITCH on this machine. Run as root; run it again to upgrade.
#
#   installer/install.sh               install or upgrade, enable and (re)start the service
#   installer/install.sh --uninstall   remove the program and the service; keeps the config
#                                      (/etc/tollguard), the store (/var/lib/tollguard), the system user
#                                      and the PBX files (it says which)
#   installer/install.sh --pbx-only    only connect to the PBX (AMI user, dialplan include); what the
#                                      Debian package runs, and what to run after installing a PBX later
# Options: --no-start (do not start or restart the service), --no-deps (do not apt-get install missing
#          dependencies), --no-pbx (leave the PBX alone), --jar FILE (the tollguard.jar to install).
#
# It never deletes or overwrites /etc/tollguard/tollguard.yml or anything in /var/lib/tollguard. It writes
# into the config only when it creates it, and to fill an empty asterisk.secret with the secret of the AMI
# user it creates at the same time.
set -eu
umask 022

PROG=tollguard
ETC=/etc/tollguard
CONFIG=$ETC/tollguard.yml
STATE=/var/lib/tollguard
SHARE=/usr/share/tollguard
BIN=/usr/bin/tollguard
UNIT_DIR=/etc/systemd/system
UNIT=$UNIT_DIR/tollguard.service
USER_NAME=tollguard

here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)

say()  { printf '%s\n' "$*"; }
note() { printf 'tollguard: %s\n' "$*"; }
warn() { printf 'tollguard: WARNING: %s\n' "$*" >&2; }
die()  { printf 'tollguard: ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- sources ---
# From a source checkout (installer/ next to agent/, asterisk-conf/, freeswitch-conf/) or from an
# installed copy (/usr/share/tollguard/install.sh with everything beside it).
first_file() { for f in "$@"; do [ -f "$f" ] && { printf '%s\n' "$f"; return 0; }; done; return 1; }
first_dir()  { for d in "$@"; do [ -d "$d" ] && { printf '%s\n' "$d"; return 0; }; done; return 1; }

find_sources() {
    SRC_JAR=${JAR:-$(first_file "$here/tollguard.jar" "$here/../agent/target/tollguard.jar" || true)}
    SRC_LAUNCHER=$(first_file "$here/tollguard" "$here/../agent/src/main/dist/tollguard" || true)
    SRC_CONFIG=$(first_file "$here/tollguard.yml" || true)
    SRC_UNIT=$(first_file "$here/tollguard.service" || true)
    SRC_ASTERISK=$(first_dir "$here/asterisk-conf" "$here/../asterisk-conf" || true)
    SRC_FREESWITCH=$(first_dir "$here/freeswitch-conf" "$here/../freeswitch-conf" || true)
}

# ----------------------------------------------------------------- helpers ---
random_secret() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }

# The value of KEY in top-level SECTION of a YAML file (simple scalars only, quotes removed).
yaml_get() {   # file section key
    awk -v sec="$2" -v key="$3" '
        /^[^ #]/ { insec = ($0 ~ "^" sec ":") }
        insec && $0 ~ "^[ ]+" key ":" {
            v = $0; sub("^[ ]+" key ":[ ]*", "", v); sub("[ ]+#.*$", "", v)
            gsub(/^["'\'']|["'\'']$/, "", v); print v; exit
        }' "$1"
}

# True if top-level SECTION of a YAML file has KEY.
yaml_has() {   # file section key
    awk -v sec="$2" -v key="$3" '
        /^[^ #]/ { insec = ($0 ~ "^" sec ":") }
        insec && $0 ~ "^[ ]+" key ":" { found = 1; exit }
        END { exit !found }' "$1"
}

# Sets KEY in top-level SECTION to a double-quoted VALUE, keeping everything else (comments included).
yaml_set() {   # file section key value
    case "$4" in *'"'*|*'\\'*) warn "not writing a value with \" or \\ into $1: set $2.$3 by hand"; return 1 ;; esac
    tmp=$(mktemp "$1.XXXXXX")
    if VAL="$4" awk -v sec="$2" -v key="$3" '
        /^[^ #]/ { insec = ($0 ~ "^" sec ":") }
        insec && !done && $0 ~ "^[ ]+" key ":" {
            v = ENVIRON["VAL"]; if (v != "true" && v != "false") v = "\"" v "\""
            match($0, /^[ ]+/); print substr($0, 1, RLENGTH) key ": " v; done = 1; next
        }
        { print }
        END { exit !done }' "$1" >"$tmp"; then
        chmod --reference="$1" "$tmp"; chown --reference="$1" "$tmp"; mv -f "$tmp" "$1"
    else
        rm -f "$tmp"; return 1
    fi
}

# Key paths (section.key, section.sub.key) of a YAML file; comments and list items skipped.
yaml_keys() {
    awk '
        BEGIN { list = -1 }
        /^[ ]*#/ || /^[ ]*$/ { next }
        {
            line = $0; sub(/^[ ]*/, "", line); depth = length($0) - length(line)
            if (list >= 0 && depth > list) next
            if (line ~ /^-/) { list = depth; next }
            list = -1
        }
        line ~ /^[A-Za-z0-9_-]+:/ {
            name = line; sub(/:.*/, "", name)
            while (n > 0 && dep[n] >= depth) n--
            n++; dep[n] = depth; nm[n] = name
            path = nm[1]; for (i = 2; i <= n; i++) path = path "." nm[i]
            print path
        }' "$1"
}

java_major() {
    command -v java >/dev/null 2>&1 || { echo 0; return; }
    java -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == 1 ? v[2] : v[1]) + 0; exit }'
}

systemd_running() { [ -d /run/systemd/system ]; }

installed_as_package() {
    dpkg-query -W -f='${Status}' tollguard 2>/dev/null | grep -q 'ok installed'
}

# install_file SRC DST MODE OWNER:GROUP, atomically; prints "changed" when DST is new or different.
install_file() {
    if [ -f "$2" ] && cmp -s "$1" "$2"; then
        chmod "$3" "$2"; chown "$4" "$2"; return 0
    fi
    tmp=$(mktemp "$2.XXXXXX")
    cat "$1" >"$tmp"; chmod "$3" "$tmp"; chown "$4" "$tmp"; mv -f "$tmp" "$2"
    echo changed
}

# -------------------------------------------------------------- the agent ---
ensure_deps() {
    missing=""
    [ "$(java_major)" -ge 17 ] || missing="$missing default-jre-headless"
    command -v ipset >/dev/null 2>&1 || missing="$missing ipset"
    command -v iptables >/dev/null 2>&1 || command -v nft >/dev/null 2>&1 || missing="$missing iptables"
    command -v conntrack >/dev/null 2>&1 || missing="$missing conntrack"
    [ -z "$missing" ] && return 0
    if [ "$NO_DEPS" = 1 ] || ! command -v apt-get >/dev/null 2>&1; then
        die "missing:$missing (install a Java 17+ runtime, ipset, iptables or nftables, conntrack)"
    fi
    note "installing$missing"
    apt-get update -q >/dev/null
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
    [ "$(java_major)" -ge 17 ] || die "java 17 or newer is still missing"
}

ensure_user() {
    getent passwd "$USER_NAME" >/dev/null && return 0
    if command -v adduser >/dev/null 2>&1; then
        adduser --system --group --quiet --home "$STATE" --no-create-home \
            --gecos "tollguard agent" "$USER_NAME"
    else
        getent group "$USER_NAME" >/dev/null || groupadd --system "$USER_NAME"
        useradd --system --gid "$USER_NAME" --home-dir "$STATE" --no-create-home \
            --shell /usr/sbin/nologin --comment "tollguard agent" "$USER_NAME"
    fi
    note "created system user $USER_NAME"
}

install_agent() {
    [ -n "$SRC_JAR" ] || die "tollguard.jar not found: build it first (./mvnw -B package) or pass --jar FILE"
    [ -n "$SRC_LAUNCHER" ] && [ -n "$SRC_CONFIG" ] && [ -n "$SRC_UNIT" ] \
        || die "incomplete installer: need the launcher, tollguard.yml and tollguard.service beside install.sh"
    ensure_deps
    ensure_user
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    [ -f "$SHARE/tollguard.yml" ] && yaml_keys "$SHARE/tollguard.yml" >"$work/previous"

    install -d -m 0755 -o root -g root "$SHARE"
    install -d -m 0750 -o root -g "$USER_NAME" "$ETC"
    install -d -m 0750 -o "$USER_NAME" -g "$USER_NAME" "$STATE"
    install_file "$SRC_JAR" "$SHARE/tollguard.jar" 0644 root:root >/dev/null
    install_file "$SRC_LAUNCHER" "$BIN" 0755 root:root >/dev/null
    # What --pbx-only and --uninstall need later, and the reference config.
    [ "$here" = "$SHARE" ] || {
        install_file "$here/$(basename "$0")" "$SHARE/install.sh" 0755 root:root >/dev/null
        install_file "$SRC_CONFIG" "$SHARE/tollguard.yml" 0644 root:root >/dev/null
        install_file "$SRC_UNIT" "$SHARE/tollguard.service" 0644 root:root >/dev/null
        for d in "$SRC_ASTERISK" "$SRC_FREESWITCH"; do
            [ -n "$d" ] || continue
            rm -rf "$SHARE/$(basename "$d")"
            cp -R "$d" "$SHARE/"
            chmod -R u=rwX,go=rX "$SHARE/$(basename "$d")"
        done
    }
    version=$("$BIN" version 2>/dev/null || echo "unknown version")
    note "installed $version: $BIN, $SHARE/tollguard.jar"

    if [ -f "$CONFIG" ]; then
        CONFIG_CREATED=0
        report_new_settings "$work"
    else
        install_file "$SRC_CONFIG" "$CONFIG" 0600 "$USER_NAME:$USER_NAME" >/dev/null
        CONFIG_CREATED=1
        note "created $CONFIG (the reference config; every key documented in it)"
    fi
    chown "$USER_NAME:$USER_NAME" "$CONFIG"
    chmod 0600 "$CONFIG"
}

# On upgrades the config is the operator's: say which settings are new in this version (compared with the
# reference config of the version installed before; without one, with the operator's file), and whether
# the file still passes this version's check.
report_new_settings() {   # work dir holding "previous" (the old reference's keys) or nothing
    yaml_keys "$SRC_CONFIG" | sort -u >"$1/new"
    if [ -s "$1/previous" ]; then sort -u "$1/previous" >"$1/old"; else yaml_keys "$CONFIG" | sort -u >"$1/old"; fi
    # only the topmost new key of a new section
    added=$(comm -23 "$1/new" "$1/old" | awk 'top == "" || index($0, top ".") != 1 { print; top = $0 }')
    if [ -n "$added" ]; then
        note "kept your $CONFIG. New settings in this version (defaults apply until you set them;"
        note "each is documented in $SHARE/tollguard.yml):"
        printf '%s\n' "$added" | sed 's/^/    /'
    else
        note "kept your $CONFIG"
    fi
    if ! "$BIN" check-config "$CONFIG" >/dev/null 2>"$1/check"; then
        warn "your $CONFIG does not pass this version's check:"
        sed 's/^/    /' "$1/check" >&2
        CONFIG_INVALID=1
    fi
}

install_unit() {
    changed=$(install_file "$SRC_UNIT" "$UNIT" 0644 root:root)
    systemctl enable tollguard.service >/dev/null 2>&1 || warn "systemctl enable tollguard.service failed"
    if ! systemd_running; then
        note "installed $UNIT and enabled it; systemd is not running here, so it starts at the next boot"
        return 0
    fi
    systemctl daemon-reload
    if [ "$CONFIG_INVALID" = 1 ]; then
        warn "not (re)starting tollguard.service: fix $CONFIG first (tollguard check-config), then: systemctl restart tollguard"
    elif [ "$NO_START" = 1 ]; then
        note "installed and enabled $UNIT; start it with: systemctl start tollguard"
    elif systemctl is-active --quiet tollguard.service; then
        systemctl restart tollguard.service
        note "restarted tollguard.service${changed:+ (unit file updated)}"
    else
        systemctl start tollguard.service
        note "started tollguard.service (logs: journalctl -u tollguard)"
    fi
}

# ---------------------------------------------------------------- Asterisk ---
asterisk_owner() { stat -c '%U:%G' "$1"; }

# The asterisk command (apt runs maintainer scripts with PATH=/usr/sbin:/usr/bin:/sbin:/bin: look further).
asterisk_cmd() {
    for a in "$(command -v asterisk 2>/dev/null || true)" /usr/sbin/asterisk /usr/local/sbin/asterisk; do
        [ -n "$a" ] && [ -x "$a" ] && { printf '%s\n' "$a"; return 0; }
    done
    return 1
}

asterisk_running() { ASTERISK=$(asterisk_cmd) && "$ASTERISK" -rx "core show version" >/dev/null 2>&1; }

setup_asterisk() {
    ast=/etc/asterisk
    [ -f "$ast/manager.conf" ] || [ -f "$ast/asterisk.conf" ] || return 0
    FOUND_PBX=1; FOUND_ASTERISK=1
    say ""
    note "Asterisk found ($ast)"
    ref=$ast/manager.conf; [ -f "$ref" ] || ref=$ast/asterisk.conf
    owner=$(asterisk_owner "$ref")

    # The AMI user.
    ami=$ast/manager.d/tollguard.conf
    tpl=${SRC_ASTERISK:+$SRC_ASTERISK/manager_tollguard.conf}
    cfg_secret=""
    [ -f "$CONFIG" ] && cfg_secret=$(yaml_get "$CONFIG" asterisk secret)
    ami_changed=0
    if [ -f "$ami" ]; then
        ami_secret=$(sed -n 's/^[[:space:]]*secret[[:space:]]*=[[:space:]]*//p' "$ami" | head -n 1 | tr -d '\r')
        note "kept the AMI user $ami"
        if [ -z "$cfg_secret" ] && [ -f "$CONFIG" ] && [ "$CONFIG_CREATED" = 1 ]; then
            yaml_set "$CONFIG" asterisk secret "$ami_secret" || die "could not set asterisk.secret in $CONFIG"
            note "wrote its secret into $CONFIG (asterisk.secret)"
        elif [ "$cfg_secret" != "$ami_secret" ]; then
            warn "asterisk.secret in $CONFIG differs from the secret in $ami: tollguard cannot log in to AMI."
            warn "make them the same (then: systemctl restart tollguard; asterisk -rx \"manager reload\")"
        fi
    elif [ -z "$tpl" ] || [ ! -f "$tpl" ]; then
        warn "asterisk-conf/manager_tollguard.conf is missing from this installer: no AMI user created"
    else
        secret=$cfg_secret
        [ -n "$secret" ] || secret=$(random_secret)
        [ -d "$ast/manager.d" ] || install -d -m 0750 -o "${owner%:*}" -g "${owner#*:}" "$ast/manager.d"
        tmp=$(mktemp "$ami.XXXXXX")
        sed "s/@SECRET@/$(printf '%s' "$secret" | sed 's/[\/&]/\\&/g')/" "$tpl" >"$tmp"
        chown "$owner" "$tmp"; chmod 0600 "$tmp"; mv -f "$tmp" "$ami"
        ami_changed=1
        note "created the AMI user 'tollguard' in $ami (loopback only; read security,call,system,reporting; write call,reporting)"
        if [ -z "$cfg_secret" ] && [ -f "$CONFIG" ]; then
            yaml_set "$CONFIG" asterisk secret "$secret" || die "could not set asterisk.secret in $CONFIG"
            note "wrote its random secret into $CONFIG (asterisk.secret)"
        fi
    fi
    user=$(yaml_get "$CONFIG" asterisk username 2>/dev/null || true)
    if [ -n "$user" ] && [ "$user" != tollguard ]; then
        warn "asterisk.username in $CONFIG is '$user', the AMI user in $ami is 'tollguard'"
    fi
    if [ -f "$ast/manager.conf" ]; then
        if ! grep -Eq '^[[:space:]]*#(try)?include[[:space:]]+"?manager\.d/(\*|tollguard)\.conf' "$ast/manager.conf"; then
            ACTIONS="${ACTIONS}  - add this line to the end of $ast/manager.conf:
      #include \"manager.d/tollguard.conf\"
"
        fi
        if ! awk '/^\[/ { g = ($0 ~ /^\[general\]/) } g && /^[[:space:]]*enabled[[:space:]]*=[[:space:]]*(yes|true|on|1)[[:space:]]*$/ { f = 1 } END { exit !f }' "$ast/manager.conf"; then
            ACTIONS="${ACTIONS}  - AMI is not enabled: set 'enabled = yes' in [general] of $ast/manager.conf
"
        fi
        if grep -q '^\[tollguard\]' "$ast/manager.conf"; then
            warn "$ast/manager.conf defines its own [tollguard] user: remove it, $ami defines it"
        fi
    fi
    # The spend IDS bills finished calls by Asterisk's own records: Cdr events on AMI (cdr_manager).
    if ! awk '/^\[/ { g = ($0 ~ /^\[general\]/) } g && /^[[:space:]]*enabled[[:space:]]*=[[:space:]]*(yes|true|on|1)[[:space:]]*$/ { f = 1 } END { exit !f }' "$ast/cdr_manager.conf" 2>/dev/null; then
        ACTIONS="${ACTIONS}  - for the spend IDS to bill calls by Asterisk's own records: set 'enabled = yes' in [general] of
      $ast/cdr_manager.conf, then: asterisk -rx \"module reload cdr_manager.so\"
      (without it tollguard counts each call from answer to end itself)
"
    fi

    # The dialplan include (the pre-dial check).
    inc=${SRC_ASTERISK:+$SRC_ASTERISK/extensions_tollguard.conf}
    inc_changed=""
    if [ -n "$inc" ] && [ -f "$inc" ]; then
        [ -d "$ast/tollguard" ] || install -d -m 0750 -o "${owner%:*}" -g "${owner#*:}" "$ast/tollguard"
        inc_changed=$(install_file "$inc" "$ast/tollguard/extensions_tollguard.conf" 0640 "$owner")
        note "installed the dialplan include $ast/tollguard/extensions_tollguard.conf"
        if ! grep -Eqs '^[[:space:]]*#(try)?include[[:space:]]+"?tollguard/extensions_tollguard\.conf' "$ast/extensions.conf"; then
            ACTIONS="${ACTIONS}  - add this line to the end of $ast/extensions.conf:
      #include tollguard/extensions_tollguard.conf
"
        fi
        route=$(sed -n 's/^;[[:space:]]*\(same[[:space:]]*=>.*tollguard.*\)$/\1/p' "$inc" | head -n 1)
        [ -n "$route" ] || route='same => n,Gosub(tollguard-predial,s,1(${EXTEN}))'
        ACTIONS="${ACTIONS}  - add this line to your outbound route(s), before the Dial():
      $route
"
    else
        note "no Asterisk dialplan include in this version (asterisk-conf/extensions_tollguard.conf): skipped"
    fi

    if asterisk_running; then
        if [ "$ami_changed" = 1 ]; then
            if "$ASTERISK" -rx "manager reload" >/dev/null 2>&1; then note "asterisk: manager reloaded"
            else warn "asterisk -rx \"manager reload\" failed: reload it by hand"; fi
        fi
        if [ -n "$inc_changed" ]; then
            if "$ASTERISK" -rx "dialplan reload" >/dev/null 2>&1; then note "asterisk: dialplan reloaded"
            else warn "asterisk -rx \"dialplan reload\" failed: reload it by hand"; fi
        fi
    elif [ "$ami_changed" = 1 ]; then
        note "Asterisk is not running: it reads the AMI user when it starts"
    fi
}

# -------------------------------------------------------------- FreeSWITCH ---
setup_freeswitch() {
    fs=""
    for d in /etc/freeswitch /usr/local/freeswitch/conf; do
        [ -f "$d/freeswitch.xml" ] && { fs=$d; break; }
    done
    [ -n "$fs" ] || return 0
    FOUND_PBX=1
    say ""
    note "FreeSWITCH found ($fs)"
    owner=$(stat -c '%U:%G' "$fs/freeswitch.xml")
    esl=$fs/autoload_configs/event_socket.conf.xml
    if [ -z "$SRC_FREESWITCH" ] || [ ! -f "$SRC_FREESWITCH/autoload_configs/event_socket.conf.xml" ]; then
        note "no FreeSWITCH files in this version (freeswitch-conf/): skipped"
        return 0
    fi
    # The config: the freeswitch section switched on (uncommented when it is still the shipped comment),
    # and the Asterisk section off when this host has no Asterisk.
    if [ -f "$CONFIG" ] && ! yaml_has "$CONFIG" freeswitch password && grep -q '^#freeswitch:' "$CONFIG"; then
        tmp=$(mktemp "$CONFIG.XXXXXX")
        sed '/^#freeswitch:/,/^$/ s/^#//' "$CONFIG" >"$tmp" && cat "$tmp" >"$CONFIG"; rm -f "$tmp"
        note "switched on the freeswitch section of $CONFIG"
    fi
    if [ -f "$CONFIG" ] && yaml_has "$CONFIG" freeswitch password; then
        yaml_set "$CONFIG" freeswitch enabled true || die "could not set freeswitch.enabled in $CONFIG"
        [ "$FOUND_ASTERISK" = 1 ] || yaml_set "$CONFIG" asterisk enabled false || die "could not set asterisk.enabled in $CONFIG"
        pw=$(yaml_get "$CONFIG" freeswitch password)
    else
        pw=""
        ACTIONS="${ACTIONS}  - $CONFIG has no freeswitch section: add one (see freeswitch-conf/README.md)
"
    fi
    # The Event Socket: ours (loopback only, an ACL), with one generated password written to both sides.
    # FreeSWITCH's own file is kept once as event_socket.conf.xml.tollguard-orig.
    if [ -z "$pw" ] || [ "$pw" = ClueCon ]; then
        pw=$(random_secret)
        [ -f "$CONFIG" ] && yaml_has "$CONFIG" freeswitch password \
            && yaml_set "$CONFIG" freeswitch password "$pw" && note "wrote a random Event Socket password into $CONFIG (freeswitch.password)"
    fi
    [ -f "$esl" ] && [ ! -f "$esl.tollguard-orig" ] && cp -p "$esl" "$esl.tollguard-orig"
    tmp=$(mktemp)
    sed "s/@TOLLGUARD_ESL_PASSWORD@/$pw/" "$SRC_FREESWITCH/autoload_configs/event_socket.conf.xml" >"$tmp"
    [ -d "$fs/autoload_configs" ] || install -d -m 0750 -o "${owner%:*}" -g "${owner#*:}" "$fs/autoload_configs"
    [ "$(install_file "$tmp" "$esl" 0640 "$owner")" = changed ] && ESL_CHANGED=1
    rm -f "$tmp"
    note "installed the Event Socket settings into $esl (its password is in $CONFIG)"
    ACTIONS="${ACTIONS}  - fs_cli uses the Event Socket too: put the password of $esl into /etc/fs_cli.conf
"
    # Every other file where it goes, by its path under freeswitch-conf/ (the dialplan include, the tollguard
    # context, the Sofia settings).
    (cd "$SRC_FREESWITCH" && find . -type f ! -name README.md ! -path ./autoload_configs/event_socket.conf.xml) |
    while read -r f; do
        f=${f#./}
        dir=$(dirname "$fs/$f")
        [ -d "$dir" ] || install -d -m 0750 -o "${owner%:*}" -g "${owner#*:}" "$dir"
        install_file "$SRC_FREESWITCH/$f" "$fs/$f" 0640 "$owner" >/dev/null
        note "installed $fs/$f"
    done
    if command -v fs_cli >/dev/null 2>&1 && fs_cli -x "status" >/dev/null 2>&1; then
        fs_cli -x reloadxml >/dev/null 2>&1 && note "freeswitch: reloadxml"
        [ "$ESL_CHANGED" = 1 ] && ACTIONS="${ACTIONS}  - restart FreeSWITCH's Event Socket for its new password: fs_cli -x \"reload mod_event_socket\"
"
    fi
}

setup_pbx() {
    FOUND_PBX=0; FOUND_ASTERISK=0; ESL_CHANGED=0
    ACTIONS=""
    setup_asterisk
    setup_freeswitch
    if [ "$FOUND_PBX" = 0 ]; then
        say ""
        note "no Asterisk (/etc/asterisk) or FreeSWITCH (/etc/freeswitch) found: nothing connected."
        note "After installing one, run: $SHARE/install.sh --pbx-only"
    fi
    if [ -n "$ACTIONS" ]; then
        say ""
        say "To finish, by hand:"
        printf '%s' "$ACTIONS"
    fi
}

# --------------------------------------------------------------- uninstall ---
uninstall() {
    if systemd_running; then
        systemctl disable --now tollguard.service >/dev/null 2>&1 || true
    else
        systemctl disable tollguard.service >/dev/null 2>&1 || true
    fi
    rm -f "$UNIT"
    if systemd_running; then systemctl daemon-reload; fi
    rm -f "$BIN"
    rm -rf "$SHARE"
    note "removed the service, $BIN and $SHARE"
    note "kept: $ETC (config), $STATE (store: bans, decisions), the system user '$USER_NAME'"
    kept=""
    for f in /etc/asterisk/manager.d/tollguard.conf /etc/asterisk/tollguard /etc/freeswitch/tollguard; do
        [ -e "$f" ] && kept="$kept $f"
    done
    if [ -n "$kept" ]; then
        note "kept the PBX files:$kept"
        note "remove them once your dialplan no longer calls tollguard, then reload the PBX"
    fi
}

# -------------------------------------------------------------------- main ---
MODE=install NO_START=0 NO_DEPS=0 NO_PBX=0 JAR="" CONFIG_CREATED=0 CONFIG_INVALID=0
while [ $# -gt 0 ]; do
    case "$1" in
        --uninstall) MODE=uninstall ;;
        --pbx-only) MODE=pbx ;;
        --config-is-new) CONFIG_CREATED=1 ;;   # the Debian package's first configure: its conffile is new
        --no-start) NO_START=1 ;;
        --no-deps) NO_DEPS=1 ;;
        --no-pbx) NO_PBX=1 ;;
        --jar) [ $# -ge 2 ] || die "--jar needs a file"; JAR=$(readlink -f "$2"); shift ;;
        --jar=*) JAR=$(readlink -f "${1#--jar=}") ;;
        -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done
[ "$(id -u)" = 0 ] || die "run as root"
find_sources

case "$MODE" in
    install)
        if installed_as_package; then
            die "tollguard is installed as a Debian package here: upgrade it with apt (or remove it first)"
        fi
        install_agent
        [ "$NO_PBX" = 1 ] || setup_pbx
        install_unit
        ;;
    pbx)
        [ -f "$CONFIG" ] || die "$CONFIG does not exist: install tollguard first"
        setup_pbx
        if [ "${TOLLGUARD_FROM_PACKAGE:-}" != 1 ] && systemd_running && systemctl is-active --quiet tollguard.service; then
            systemctl restart tollguard.service && note "restarted tollguard.service"
        fi
        ;;
    uninstall)
        installed_as_package && die "tollguard is installed as a Debian package here: apt remove tollguard"
        uninstall
        ;;
esac

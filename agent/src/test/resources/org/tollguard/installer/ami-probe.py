#!/usr/bin/env python3
"""Logs in to AMI and tries the actions tollguard needs and some it must not have.

usage: ami-probe.py HOST USER SECRET   prints one line per action: NAME | Response: ... | Message: ...
"""
import socket
import sys

host, user, secret = sys.argv[1], sys.argv[2], sys.argv[3]
conn = socket.create_connection((host, 5038), timeout=5)
f = conn.makefile('rwb')
f.readline()  # banner


def action(name, **fields):
    msg = 'Action: %s\r\nActionID: probe-%s\r\n' % (name, name)
    msg += ''.join('%s: %s\r\n' % kv for kv in fields.items()) + '\r\n'
    f.write(msg.encode())
    f.flush()
    while True:
        block = []
        while True:
            line = f.readline()
            if not line:
                print(name, '| connection closed')
                sys.exit(0)
            line = line.decode().rstrip('\r\n')
            if line == '':
                break
            block.append(line)
        if 'ActionID: probe-' + name in block and any(l.startswith('Response:') for l in block):
            print(name, '|', ' | '.join(l for l in block if l.startswith(('Response:', 'Message:'))))
            return block


if 'Response: Success' not in action('Login', Username=user, Secret=secret):
    sys.exit(0)
action('CoreShowChannels')
action('Hangup', Channel='PJSIP/tollguard-probe-00000001')
action('Originate', Channel='Local/1@default', Application='Wait', Data='1')
action('Command', Command='core show version')
action('Reload')
action('Logoff')

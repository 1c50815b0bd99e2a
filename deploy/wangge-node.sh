#!/bin/sh
# One web node of several (docs/deploy.md, "Several machines"), as root on that node:
#
#   sh /srv/wangge/src/deploy/wangge-node.sh NUMBER ADDRESS [scheduler]
#
# installs and starts wangge-web-NUMBER (gunicorn listening on ADDRESS, where the load balancer
# reaches it) and wangge-worker-NUMBER (the job worker), made from wangge-web.service and
# wangge-worker.service beside this file. Every worker runs queued jobs; only the node given
# `scheduler` enqueues the periodic ones (the SLA sweep, reports, expiries), so each runs once
# however many nodes there are. The units carry the node's number so that two nodes can share
# one host, as in CI.
set -eu
node=${1:?the node number}
address=${2:?the address the load balancer reaches this node at, host:port}
role=${3:-}
case "$node" in *[!0-9]*) echo "wangge-node: the node number must be digits" >&2; exit 2 ;; esac
case "$role" in ""|scheduler) ;; *) echo "wangge-node: third argument: scheduler or nothing" >&2; exit 2 ;; esac
units=$(dirname "$0")

sed -e "1s|wangge-web.service|wangge-web-$node.service|" \
    -e "s|^Description=.*|&, node $node|" \
    -e "s|-c python:wangge.gunicorn_conf|& --bind $address|" \
    "$units/wangge-web.service" >"/etc/systemd/system/wangge-web-$node.service"
periodic=""
if [ "$role" != scheduler ]; then periodic=" --no-periodic"; fi
sed -e "1s|wangge-worker.service|wangge-worker-$node.service|" \
    -e "s|^Description=.*|&, node $node|" \
    -e "s|run_huey|&$periodic|" \
    "$units/wangge-worker.service" >"/etc/systemd/system/wangge-worker-$node.service"
chmod 644 "/etc/systemd/system/wangge-web-$node.service" "/etc/systemd/system/wangge-worker-$node.service"
systemctl daemon-reload
systemctl enable --now "wangge-web-$node" "wangge-worker-$node"

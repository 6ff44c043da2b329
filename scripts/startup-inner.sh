#!/bin/bash
# Runs inside the tmux pane for measure-startup.sh: times one start-up to first frame.
s=$(date +%s%N); "$@" --exit-after-first-frame; e=$(date +%s%N); echo "T=$(( (e-s)/1000 ))us"; sleep 5

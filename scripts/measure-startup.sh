#!/bin/bash
# Start-up to first frame of the explorer in a real terminal (tmux), 20 runs, median.
# Usage: scripts/measure-startup.sh .build/release/inception-explorer [LAYOUT]
# The explorer's hidden --exit-after-first-frame flag leaves right after drawing; the pane's shell
# times the whole process (exec, load, analysis, ncurses start, first frame, terminal restore).
here="$(cd "$(dirname "$0")" && pwd)"
for i in $(seq 1 20); do
  tmux -L su kill-server 2>/dev/null
  tmux -L su -f /dev/null new-session -d -x 120 -y 40 "$here/startup-inner.sh $*" 2>/dev/null
  out=""
  for j in $(seq 1 100); do
    out=$(tmux -L su capture-pane -p 2>/dev/null | grep -o 'T=[0-9]*us'); [ -n "$out" ] && break; sleep 0.05
  done
  echo $out
done | grep -v '^$' | sed 's/T=//; s/us//' | sort -n |
  awk '{a[NR]=$1} END {print "median start-up to first frame: " a[int((NR+1)/2)]/1000 " ms (n=" NR ", min " a[1]/1000 " ms, max " a[NR]/1000 " ms)"}'
tmux -L su kill-server 2>/dev/null

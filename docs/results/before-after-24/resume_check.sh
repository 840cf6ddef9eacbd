#!/bin/bash
# For each binary: quickstart-old, SIGTERM once tp_st_kd has logged epoch 1
# (so the stop lands inside epoch 2, the transition epoch), then --resume.
cd /tmp/evidence24
for side in old new; do
  if [ $side = old ]; then B=/work/bin-b751b2f/hec; else B=/tmp/evidence24/bin-new/hec; fi
  D=/tmp/evidence24/resume-$side-quickstart-old; L=logs/resume-$side.log
  rm -rf $D
  nice -n 5 $B quickstart-old.toml --out $D > $L 2>&1 &
  pid=$!
  until grep -q "\[tp_st_kd seed 111\] epoch 1/3" $L || ! kill -0 $pid 2>/dev/null; do sleep 0.5; done
  sleep 2; kill -TERM $pid; wait $pid; echo "$side first rc=$?" >> logs/resume.txt
  ls $D/tp_st_kd/seed-111 >> logs/resume.txt
  nice -n 5 $B quickstart-old.toml --out $D --resume > logs/resume-$side-2.log 2>&1
  echo "$side resume rc=$?" >> logs/resume.txt
done
echo done >> logs/resume.txt

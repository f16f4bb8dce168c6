#!/usr/bin/env bash
# Provenance: copied unchanged (apart from this line) from the project's shared tools/local-slurm.sh on 2026-12-05 (sha256 d6878896597729ac2d3fec82569e23662aba9d2544a3ef05541c83332501d69b), so that CI runs on a clean clone; .ci/slurm uses it.
# local-slurm.sh - throwaway single-node Slurm cluster for CI (Debian 12 / bookworm, run as root,
# works without systemd, e.g. in a docker/gVisor container). Tested with slurm-wlm 22.05.8 + munge 0.5.15.
#
#   local-slurm.sh install   # apt-get install slurm + munge (needs the Debian package mirror)
#   local-slurm.sh up        # write config, start munged/slurmctld/slurmd, wait until node is idle
#   local-slurm.sh test      # submit a 4-task array job (sbatch --wait) + srun, check outputs
#   local-slurm.sh down      # cancel jobs, stop daemons by PID, delete state
#   local-slurm.sh all       # install up test down
#
# Everything Slurm writes lives under $SLURM_LOCAL_DIR (default ${TMPDIR:-/tmp}/local-slurm);
# the only system files written are /etc/slurm/slurm.conf, /etc/munge/munge.key (if absent), /run/munge.
set -euo pipefail

DIR=${SLURM_LOCAL_DIR:-${TMPDIR:-/tmp}/local-slurm}
H=$(hostname -s)

log() { echo "[local-slurm $(date +%T)] $*"; }
alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }  # zombie = gone

do_install() {
  local t0=$SECONDS
  # --no-install-recommends: 9 packages instead of 39 (skips the *-plugin(-dev) packages)
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurm-wlm munge >/dev/null
  log "install took $((SECONDS - t0)) s"
}

do_up() {
  local t0=$SECONDS
  mkdir -p "$DIR" && rm -rf "$DIR/state" "$DIR/spool" && mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log"

  # --- munge (auth). The Debian postinst normally creates the key already.
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    /usr/sbin/mungekey --create --force 2>/dev/null \
      || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
  chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
  mkdir -p /run/munge && chown munge:munge /run/munge     # normally made by systemd's RuntimeDirectory
  if ! { munge -n </dev/null | unmunge; } >/dev/null 2>&1; then
    runuser -u munge -- /usr/sbin/munged                  # daemonizes; pid in /run/munge/munged.pid
    for _ in $(seq 50); do { munge -n </dev/null | unmunge; } >/dev/null 2>&1 && break; sleep 0.1; done
    cp /run/munge/munged.pid "$DIR/munged.pid"            # only stop munged in 'down' if we started it
  fi

  # --- slurm.conf: one node = this host, no cgroups, no accounting, no systemd
  local mem; mem=$(( $(free -m | awk '/^Mem:/{print $7}') * 9 / 10 ))   # 90% of available MB
  local cpus; cpus=$(nproc)
  mkdir -p /etc/slurm
  cat > /etc/slurm/slurm.conf <<CONF
ClusterName=ci
SlurmctldHost=$H(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
NodeName=$H NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Default=YES Nodes=ALL State=UP MaxTime=INFINITE
CONF

  # --- daemons in the foreground (-D), backgrounded here; PIDs recorded for 'down'
  nohup slurmctld -D >"$DIR/log/slurmctld.out" 2>&1 </dev/null & echo $! >"$DIR/ctld.pid"
  nohup slurmd -D    >"$DIR/log/slurmd.out"    2>&1 </dev/null & echo $! >"$DIR/d.pid"

  local st=""
  for _ in $(seq 120); do                                  # up to 60 s
    st=$(sinfo -h -n "$H" -o %T 2>/dev/null || true)
    [ "$st" = idle ] && break
    sleep 0.5
  done
  if [ "$st" != idle ]; then
    log "node not idle (state='$st'); logs:"; tail -n 30 "$DIR"/log/*.log >&2; return 1
  fi
  log "cluster ready after $((SECONDS - t0)) s"; sinfo
}

do_test() {
  local t0=$SECONDS
  rm -f "$DIR"/out_*.txt
  timeout 300 sbatch --array=0-3 --wait --output="$DIR/out_%a.txt" \
    --wrap 'echo task $SLURM_ARRAY_TASK_ID of $SLURM_ARRAY_TASK_COUNT on $(hostname); sleep 1'
  for i in 0 1 2 3; do
    grep -qx "task $i of 4 on $H" "$DIR/out_$i.txt" || { log "bad output for task $i"; return 1; }
  done
  cat "$DIR"/out_*.txt
  [ "$(timeout 60 srun -n1 hostname)" = "$H" ] || { log "srun failed"; return 1; }
  log "array job + srun OK in $((SECONDS - t0)) s"
}

do_down() {
  scancel --quiet --full --user=root 2>/dev/null || true   # kill leftover jobs so no slurmstepd lingers
  for _ in $(seq 20); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.5; done
  local f pid
  for f in d ctld munged; do                               # slurmd, slurmctld, then munged (if ours)
    [ -f "$DIR/$f.pid" ] || continue
    pid=$(cat "$DIR/$f.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    rm -f "$DIR/$f.pid"
  done
  rm -rf "$DIR/state" "$DIR/spool"
  log "stopped"
}

case "${1:-all}" in
  install) do_install ;;
  up)      do_up ;;
  test)    do_test ;;
  down)    do_down ;;
  all)     do_install; trap do_down EXIT; do_up; do_test ;;
  *) echo "usage: $0 install|up|test|down|all" >&2; exit 2 ;;
esac

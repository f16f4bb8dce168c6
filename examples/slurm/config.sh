# shellcheck shell=bash
# Settings of one screening run, read by submit.sh and exported to the Slurm jobs (sbatch passes the submitting
# environment on by default). Edit them here, or override any of them in the environment:
#   SHARDS=16 TOP=500 ./submit.sh
# Relative paths are taken from the directory you submit from (Slurm starts each job there).

# The published command (see README.md, "Install once"): a framework-dependent build needs the .NET 10 runtime on the
# compute nodes (module load, or DOTNET_ROOT pointing at a runtime in your home directory).
: "${PM_CLI:=$HOME/pure-materials/bin/pure-materials}"
# Without a dotnet module, point the command at a runtime installed in your home directory (README.md):
# export DOTNET_ROOT=$HOME/.dotnet

# The model file written by `pure-materials fit ... --out gap.pmm` (README.md, "The model file").
: "${MODEL:=gap.pmm}"

# Where the shards, the merged result and the logs go (on a shared filesystem: every node writes here).
: "${RUN_DIR:=screen-run}"

# The candidate space, as screen's options: every quaternary of these 20 elements with whole amounts up to 6, kept when
# charge-neutral with pymatgen's default (ICSD) oxidation states: 2,571,972 candidates.
: "${SPACE:=--elements Li,Na,K,Mg,Ca,Zn,Al,Ga,In,Si,Ge,Sn,O,S,Se,N,P,F,Cl,Br --arity 4 --max-amount 6 --charge-neutral default}"

# How to rank (screen's --rank, --goal, --beta, --best, --window, filters), and how many of the best to keep.
: "${RANK:=--rank ucb --beta 2}"
: "${TOP:=1000}"

# How many array tasks split the space (tasks 0..SHARDS-1; task k screens the candidates whose index is k modulo SHARDS).
: "${SHARDS:=4}"

export PM_CLI MODEL RUN_DIR SPACE RANK TOP SHARDS

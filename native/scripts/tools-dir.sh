# Sourced (not run) by the scripts that install tools: sets TOOLS, where mmap4j keeps what it
# installs, outside the repository. MMAP4J_TOOLS wins; HOME-less CI containers get a per-user
# directory under TMPDIR.
if [ -n "${MMAP4J_TOOLS:-}" ]; then
  TOOLS=$MMAP4J_TOOLS
elif [ -n "${HOME:-}" ]; then
  TOOLS=$HOME/.cache/mmap4j-tools
else
  TOOLS=${TMPDIR:-/tmp}/mmap4j-tools-$(id -u)
fi

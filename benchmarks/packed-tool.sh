# Sourced by the scripts that time the real process (cli-memory.sh, cli-vs-copy.sh): the tool as
# packed for this machine's platform (framework-dependent, with ReadyToRun code), published into
# "$work/tool", its path in $cli and the runtime identifier in $rid. The build servers are stopped
# after publishing so that they do not share the cores with the runs.
# Needs: the repository root as the current folder, and $work set to a folder of the caller's.
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)
dotnet publish src/Smi.Retention.Cli -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$work/tool" -v quiet -nologo >/dev/null
cli="$work/tool/smi-retention"
dotnet build-server shutdown >/dev/null 2>&1 || true

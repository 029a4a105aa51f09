# Sourced by the scripts that time the real process (cli-memory.sh, cli-vs-copy.sh): the tool as
# packed for this machine's platform, its path in $cli, the runtime identifier in $rid and what the
# package holds in $packed_kind. On linux-x64 the package as .ci/run packs it (NativeToolPackage in
# the tool's .csproj): compiled ahead of time for any x64 processor, handing over to its x86-64-v3
# build where the processor allows; its files taken out of the package into "$work/tool". On any
# other platform the tool published as that platform's package holds it (framework-dependent, with
# ReadyToRun code) into "$work/tool". The build servers are stopped after so that they do not share
# the cores with the runs.
# Needs: the repository root as the current folder, $work set to a folder of the caller's, and on
# linux-x64 clang or gcc (Native AOT) and unzip.
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)
if [[ "$rid" == linux-x64 ]]; then
  dotnet pack src/Smi.Retention.Cli -c Release -r linux-x64 -p:NativeToolPackage=true -o "$work/package" -v quiet -nologo >/dev/null
  unzip -q -o "$work/package"/Smi.Retention.Cli.linux-x64.*.nupkg 'tools/*' -d "$work/package"
  mkdir -p "$work/tool"
  cp "$work/package/tools/any/linux-x64/"smi-retention* "$work/tool/"
  chmod +x "$work/tool/"smi-retention*
  packed_kind="Native AOT, the portable build handing over to its x86-64-v3 build"
else
  dotnet publish src/Smi.Retention.Cli -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$work/tool" -v quiet -nologo >/dev/null
  packed_kind="framework-dependent, ReadyToRun"
fi
cli="$work/tool/smi-retention"
dotnet build-server shutdown >/dev/null 2>&1 || true

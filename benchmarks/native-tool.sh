# Sourced by the scripts that run the tool compiled ahead of time (cli-vs-copy.sh --native, CI's
# native smoke test): the tool published as one native executable (Native AOT) for this machine's
# platform, on x64 for processors with AVX2 (x86-64-v3, whose vector instructions the parser uses;
# the executable refuses to start on an older processor), into "$work/native"; its path in $native.
# Linked with clang where there is clang, else with gcc. Warnings are errors, trim and AOT warnings too.
# Needs: the repository root as the current folder, and $work set to a folder of the caller's.
native_rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)
native_args=(-p:PublishAot=true)
[[ "$native_rid" == *-x64 ]] && native_args+=(-p:IlcInstructionSet=x86-64-v3)
compgen -c | grep -qE '^clang(-[0-9]+)?$' || native_args+=(-p:CppCompilerAndLinker=gcc) # clang, or a versioned clang-N
dotnet publish src/Smi.Retention.Cli -c Release -r "$native_rid" "${native_args[@]}" -o "$work/native" -v quiet -nologo >/dev/null
native="$work/native/smi-retention"
dotnet build-server shutdown >/dev/null 2>&1 || true

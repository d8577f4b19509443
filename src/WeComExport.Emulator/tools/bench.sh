#!/usr/bin/env bash
# Measures the emulator: time to prepare one export and the process's peak RSS, then download
# throughput on loopback with curl. Needs curl and python3. Figures go to docs/emulator.md.
#   usage: tools/bench.sh [KIND=user] [BLOCK_SIZE=1000000] [MEMBERS=1000000]
#   env:   EMULATOR_DLL (default out/emulator/WeComExport.Emulator.dll, from build.ps1 Build)
#          CHANGES: a POST /_emulator/directory body applied first (e.g. '{"random":{"seed":1,"editMembers":100}}')
set -euo pipefail
KIND=${1:-user}; BS=${2:-1000000}; N=${3:-1000000}
DLL=${EMULATOR_DLL:-out/emulator/WeComExport.Emulator.dll}
OUT=$(mktemp); ERR=$(mktemp)
dotnet "$DLL" --members "$N" --job-delay 0 >"$OUT" 2>"$ERR" &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -f "$OUT" "$ERR"' EXIT
for _ in $(seq 100); do [ -s "$OUT" ] && break; sleep 0.1; done
json() { python3 -c "import json,sys;d=json.load(sys.stdin);print($1)"; }
B=$(json "d['baseUri']" <"$OUT"); C=$(json "d['corps'][0]['corpId']" <"$OUT"); S=$(json "d['corps'][0]['secret']" <"$OUT")
T=$(curl -s "$B/cgi-bin/gettoken?corpid=$C&corpsecret=$S" | json "d['access_token']")
KEY=IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2
if [ -n "${CHANGES:-}" ]; then
  CS=$(date +%s.%N)
  curl -s -XPOST "$B/_emulator/directory?corpid=$C" -d "$CHANGES" | json "'directory changes: %d records changed, %d members' % (len(d['changes']), d['memberCount'])"
  echo "changes applied in: $(python3 -c "print(round($(date +%s.%N)-$CS,2))") s"
fi
START=$(date +%s.%N)
J=$(curl -s -XPOST "$B/cgi-bin/export/$KIND?access_token=$T" -d "{\"encoding_aeskey\":\"$KEY\",\"block_size\":$BS,\"tagid\":4}" | json "d['jobid']")
while :; do
  R=$(curl -s "$B/cgi-bin/export/get_result?access_token=$T&jobid=$J")
  ST=$(echo "$R" | json "d['status']")
  [ "$ST" = 2 ] && break
  [ "$ST" = 3 ] && { echo "job failed"; exit 1; }
  sleep 0.1
done
END=$(date +%s.%N)
echo "kind=$KIND members=$N block_size=$BS"
echo "prepare: $(python3 -c "print(round($END-$START,1))") s"
echo "$R" | json "'blocks: %d, ciphertext: %.1f MB' % (len(d['data_list']), sum(x['size'] for x in d['data_list'])/1e6)"
echo "peak RSS while preparing: $(awk '/VmHWM/{printf "%.0f MB", $2/1024}' /proc/$PID/status)"
U=$(echo "$R" | json "d['data_list'][0]['url']")
for _ in 1 2 3; do
  curl -s -o /dev/null -w 'download: %{size_download} bytes at %{speed_download} B/s\n' "$U" |
    awk '{printf "download: %.1f MB at %.0f MB/s\n", $2/1e6, $5/1e6}'
done
echo "peak RSS overall: $(awk '/VmHWM/{printf "%.0f MB", $2/1024}' /proc/$PID/status)"
curl -s -XPOST "$B/_emulator/shutdown" >/dev/null
wait $PID

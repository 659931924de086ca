#!/usr/bin/env bash
# Create the two peer venvs used by bench/dedup_eval.py (separate venvs: installing datatrove,
# text-dedup (and dolma) into one venv sends pip's resolver into long backtracking).
#
#   bench/venv-datatrove  : datatrove[processing]==0.10.1 + spacy + orjson + aiohttp  (~800 MB, ~1-2 min)
#                           (orjson: JsonlReader/JsonlWriter need it; it is in the [io] extra, whose
#                           other packages - pyarrow, datasets, warcio - are not needed here)
#   bench/venv-textdedup  : text-dedup==0.4.0                       (~1.4 GB, ~6 min: pyspark sdist)
#   bench/venv-trafilatura: trafilatura==2.3.1, the HTML extraction peer of bench/extract_bench.py
#                           (~60 MB, seconds)
#
# Usage: bench/setup_peers.sh [--python PY] [--unpinned] [--only datatrove|textdedup|trafilatura]
#   --python PY   interpreter to build the venvs from (default: python3.11, else python3; needs >= 3.10)
#   --unpinned    pin only the top-level packages; by default every dependency is pinned to the
#                 versions measured on the reference machine (constraints below, from pip freeze)
#
# Needs network access to PyPI once.  At run time nothing is downloaded; run the tools with
#   HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1
# (bench/dedup_eval.py sets these itself).  datatrove's MinHash needs no model download: its English
# word tokenizer is spacy.blank("en").
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY=""
PINNED=1
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --python) PY="$2"; shift 2 ;;
    --unpinned) PINNED=0; shift ;;
    --only) ONLY="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -z "$PY" ]; then
  if command -v python3.11 >/dev/null; then PY=python3.11; else PY=python3; fi
fi
"$PY" -c 'import sys; assert sys.version_info >= (3, 10), "datatrove 0.10.1 needs Python >= 3.10"'
echo "using $("$PY" --version) at $(command -v "$PY")"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cat > "$TMP/dt-constraints.txt" <<'PINS'
aiohappyeyeballs==2.7.1
aiohttp==3.14.5
aiosignal==1.4.0
attrs==26.1.0
frozenlist==1.8.0
multidict==7.2.1
propcache==0.5.4
yarl==1.25.1
annotated-doc==0.0.7
annotated-types==0.8.0
anyio==4.16.0
babel==2.19.0
blis==1.3.4
catalogue==2.0.10
certifi==2026.10.19.post1
charset-normalizer==3.5.3
click==8.5.1
cloudpathlib==0.26.0
cloudpickle==3.1.3
confection==1.3.4
courlan==1.4.0
cymem==2.0.16
dateparser==1.5.0
defusedxml==0.7.1
dill==0.4.1
fasteners==0.20
fasttext-numpy2-wheel==0.9.2
filelock==4.3.1
fsspec==2026.9.0
ftfy==6.3.1
h11==0.16.0
hf-xet==1.8.0
htmldate==1.11.0
httpcore==1.0.9
httpcore2==2.16.2
httpx==0.28.1
httpx2==2.16.2
huggingface_hub==2.4.0
humanize==4.17.0
idna==3.20
inscriptis==2.7.6
Jinja2==3.1.6
joblib==1.6.0
jusText==3.0.2
loguru==0.7.3
lxml==6.1.3
lxml_html_clean==0.4.6
markdown-it-py==4.3.0
MarkupSafe==3.0.4
mdurl==0.1.2
multiprocess==0.70.19
murmurhash==1.0.16
nltk==3.10.4
numpy==2.4.6
orjson==3.13.0
packaging==26.4
preshed==3.0.15
pyahocorasick==2.3.1
pybind11==3.1.0
pydantic==2.14.4
pydantic_core==2.50.5
Pygments==2.21.0
python-dateutil==4.0.0
pytz==2026.6
PyYAML==6.0.4
regex==2026.11.19
requests==2.34.2
requests-file==3.0.1
rich==15.0.0
shellingham==1.5.4
smart_open==9.0.2
spacy==3.8.18
spacy-legacy==3.0.12
spacy-loggers==1.0.5
srsly==2.5.6
thinc==8.3.14
tld==0.13.2
tldextract==5.4.0
tokenizers==0.23.3
tqdm==4.70.1
trafilatura==1.11.0
truststore==0.10.5
typer==0.29.2
typing-inspection==0.4.5
typing_extensions==4.16.0
tzdata==2026.6
tzlocal==5.4.5
urllib3==2.8.0
wasabi==1.1.3
wcwidth==0.9.4
weasel==1.0.1
wrapt==2.5.2
xxhash==3.8.2
PINS
cat > "$TMP/td-constraints.txt" <<'PINS'
alabaster==1.0.0
anyio==4.16.0
babel==2.19.0
bitarray==3.12.3
certifi==2026.10.19.post1
charset-normalizer==3.5.3
click==8.5.1
click-option-group==0.5.10
datasets==5.2.0
dill==0.4.1
docutils==0.22.4
filelock==4.3.1
fire==0.6.0
flatbuffers==25.12.19
fsspec==2026.9.0
ftfy==6.3.1
h11==0.16.0
hf-xet==1.8.0
httpcore2==2.16.2
httpx2==2.16.2
huggingface_hub==2.4.0
idna==3.20
imagesize==2.0.1
jaxtyping==0.3.11
Jinja2==3.1.6
latexcodec==3.0.1
markdown-it-py==4.3.0
MarkupSafe==3.0.4
mdurl==0.1.2
ml_dtypes==0.6.0
multiprocess==0.70.19
numkong==7.8.6
numpy==2.4.6
onnx==1.23.2
onnxruntime==1.32.0
packaging==26.4
pandas==3.1.1
protobuf==7.36.2
psutil==7.2.2
py4j==0.10.9.9
pyarrow==26.0.1
pybloom_live==4.0.0
pybtex==0.26.1
pybtex-docutils==1.0.3
Pygments==2.21.0
pyspark==4.3.0
python-dateutil==4.0.0
PyYAML==6.0.4
regex==2026.11.19
requests==2.34.2
rich==13.9.4
roman-numerals==4.1.0
scipy==1.17.1
six==1.17.0
snowballstemmer==3.1.1
Sphinx==9.0.4
sphinxcontrib-applehelp==2.0.0
sphinxcontrib-bibtex==2.7.0
sphinxcontrib-devhelp==2.0.0
sphinxcontrib-htmlhelp==2.1.0
sphinxcontrib-jsmath==2.0.0
sphinxcontrib-qthelp==2.0.0
sphinxcontrib-serializinghtml==2.0.0
tabulate==0.10.0
termcolor==3.3.0
tqdm==4.70.1
truststore==0.10.5
typing_extensions==4.16.0
tzdata==2026.6
unisim==0.0.1
urllib3==1.26.20
usearch==2.26.6
wadler_lindig==0.1.8
wcwidth==0.9.4
xxhash==4.1.0
zstandard==0.25.0
PINS

cat > "$TMP/tf-constraints.txt" <<'PINS'
babel==2.19.0
certifi==2026.10.19.post1
charset-normalizer==3.5.3
courlan==1.4.0
dateparser==1.5.0
htmldate==1.11.0
jusText==3.0.2
lxml==6.1.3
lxml_html_clean==0.4.6
python-dateutil==4.0.0
pytz==2026.6
regex==2026.11.19
tld==0.13.2
trafilatura==2.3.1
tzdata==2026.6
tzlocal==5.4.5
urllib3==2.8.0
PINS

make_venv() {  # name, constraints file, packages...
  local dir="$BENCH_DIR/$1" cons="$2"; shift 2
  if [ -x "$dir/bin/python" ]; then echo "$dir exists; delete it to rebuild"; return 0; fi
  "$PY" -m venv "$dir"
  "$dir/bin/python" -m pip install -q --upgrade pip
  local t0=$SECONDS
  if [ "$PINNED" = 1 ]; then
    "$dir/bin/python" -m pip install -q -c "$cons" "$@"
  else
    "$dir/bin/python" -m pip install -q "$@"
  fi
  echo "$1 -> $dir ($((SECONDS - t0)) s, $(du -sh "$dir" | cut -f1))"
}

if [ -z "$ONLY" ] || [ "$ONLY" = datatrove ]; then
  # aiohttp: datatrove's LanguageFilter resolves its model's https path through fsspec even when the
  # model is already in its cache (bench/filter_speed.py seeds that cache with our lid.176.ftz).
  make_venv venv-datatrove "$TMP/dt-constraints.txt" "datatrove[processing]==0.10.1" spacy orjson aiohttp
  HF_HUB_OFFLINE=1 "$BENCH_DIR/venv-datatrove/bin/python" - <<'PY'
from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature
from datatrove.utils.hashing import HashConfig
from datatrove.utils.word_tokenizers import load_word_tokenizer
from datatrove.pipeline.readers import JsonlReader
JsonlReader("/tmp")  # checks orjson
import datatrove, spacy
from importlib.metadata import version
print("datatrove", version("datatrove"), "spacy", spacy.__version__)
print("tokenizer ok:", load_word_tokenizer("en").word_tokenize("Hello world, offline.")[:3])
MinhashDedupSignature(output_folder="/tmp/_dt_check", config=MinhashConfig(hash_config=HashConfig(precision=64)))
PY
fi
if [ -z "$ONLY" ] || [ "$ONLY" = textdedup ]; then
  make_venv venv-textdedup "$TMP/td-constraints.txt" "text-dedup==0.4.0"
  HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 "$BENCH_DIR/venv-textdedup/bin/python" -m text_dedup.minhash --help >/dev/null
  echo "text_dedup.minhash ok"
fi
if [ -z "$ONLY" ] || [ "$ONLY" = trafilatura ]; then
  make_venv venv-trafilatura "$TMP/tf-constraints.txt" "trafilatura==2.3.1"
  "$BENCH_DIR/venv-trafilatura/bin/python" -c 'import trafilatura; print("trafilatura", trafilatura.__version__, "ok:", trafilatura.extract("<html><body><article><p>" + "Offline check sentence. " * 20 + "</p></article></body></html>")[:24])'
fi

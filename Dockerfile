FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DATA_DIR=/data

WORKDIR /app
# Pango and fonts for WeasyPrint (PDF reports).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 portal && mkdir -p /data/media /data/beat && chown -R portal /data

COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir --upgrade pip
COPY . .
RUN pip install --no-cache-dir . \
    && SECRET_KEY=collectstatic-only DATABASE_URL=postgres://build@localhost/none \
       python manage.py collectstatic --noinput

USER portal
EXPOSE 8000
CMD ["gunicorn", "ssdc_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]

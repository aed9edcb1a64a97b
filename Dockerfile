FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY config ./config
COPY investments ./investments
COPY ingest ./ingest
RUN pip install --no-cache-dir .
COPY . .
RUN SECRET_KEY=build-only DEBUG=0 python manage.py collectstatic --noinput -v0
RUN useradd --create-home tracker && mkdir -p var && chown -R tracker var
USER tracker
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "-c", "config/gunicorn.py", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]

"""Config classes: production refuses to start without its secrets."""
import pytest

from app import create_app
from config import ProductionConfig


def test_production_needs_secret_key_and_database_url(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_needs_database_url(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app(ProductionConfig)


def test_production_starts_with_both(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/prod.db")
    monkeypatch.setenv("APP_HOSTS", "desk.example.com")
    app = create_app(ProductionConfig)
    assert app.config["SECRET_KEY"] == "x" * 40
    assert not app.debug
    assert app.config["SESSION_COOKIE_SECURE"] is True

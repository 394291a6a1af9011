"""Locust users for the bounded load test: mostly reads (lists, a detail, the ledger), some
writes (a new partner, an edit). Each user has its own API token (LOAD_TOKENS_FILE)."""

import itertools
import os
import uuid
from pathlib import Path

from locust import HttpUser, between, task

TOKENS = itertools.cycle(Path(os.environ["LOAD_TOKENS_FILE"]).read_text().split())


class RegistryUser(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {next(TOKENS)}"
        self.mine: list[int] = []

    @task(4)
    def list_partners(self):
        self.client.get("/api/v1/partners/?page_size=20", name="GET partners")

    @task(2)
    def list_agreements(self):
        self.client.get("/api/v1/agreements/?page_size=20", name="GET agreements")

    @task(2)
    def list_waivers(self):
        self.client.get("/api/v1/waivers/?page_size=20", name="GET waivers")

    @task(1)
    def read_partner(self):
        if self.mine:
            self.client.get(f"/api/v1/partners/{self.mine[-1]}/", name="GET partner")

    @task(2)
    def create_partner(self):
        body = {"name": f"Load partner {uuid.uuid4().hex[:12]}", "kind": "company"}
        with self.client.post(
            "/api/v1/partners/", json=body, name="POST partner", catch_response=True
        ) as response:
            if response.status_code == 201:
                self.mine.append(response.json()["id"])
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(1)
    def rename_partner(self):
        if not self.mine:
            return
        pk = self.mine[-1]
        body = {"name": f"Load partner renamed {uuid.uuid4().hex[:12]}"}
        self.client.patch(f"/api/v1/partners/{pk}/", json=body, name="PATCH partner")

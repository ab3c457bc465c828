"""PyTorch sequence models: DKT and ours (Rasch-GRU with PFA features).

Only the training and evaluation code imports this module; the web app and
:mod:`nanum.learner_model.kt.inference` never need torch.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from .data import Sequence
from .features import N_DENSE
from .train import DKT_INPUTS


@dataclass
class ModelConfig:
    n_questions: int
    n_skills: int
    dim: int = 64
    hidden: int = 64
    dropout: float = 0.2
    # DKT only: how a question with several skills enters the LSTM
    # (``train.DKT_INPUTS``)
    dkt_input: str = "mean"

    def to_dict(self) -> dict[str, int | float | str]:
        return asdict(self)


def collate(
    windows: list[tuple[Sequence, int]], device: torch.device
) -> dict[str, torch.Tensor]:
    """Pad a batch of ``(sequence, first scored position)`` into tensors."""
    b = len(windows)
    t = max(len(s) for s, _ in windows)
    k = max(s.skills.shape[1] for s, _ in windows)
    q = np.zeros((b, t), dtype=np.int64)
    sk = np.zeros((b, t, k), dtype=np.int64)
    r = np.zeros((b, t), dtype=np.int64)
    succ = np.zeros((b, t, k), dtype=np.float32)
    fail = np.zeros((b, t, k), dtype=np.float32)
    dense = np.zeros((b, t, N_DENSE), dtype=np.float32)
    mask = np.zeros((b, t), dtype=bool)
    for i, (s, first) in enumerate(windows):
        n, kk = s.skills.shape
        q[i, :n] = s.questions
        sk[i, :n, :kk] = s.skills
        r[i, :n] = s.responses
        if "dense" in s.extra:
            succ[i, :n, :kk] = s.extra["succ"]
            fail[i, :n, :kk] = s.extra["fail"]
            dense[i, :n] = s.extra["dense"]
        mask[i, first:n] = True
    arrays = {
        "q": q,
        "skills": sk,
        "r": r,
        "succ": succ,
        "fail": fail,
        "dense": dense,
        "mask": mask,
    }
    return {name: torch.from_numpy(a).to(device) for name, a in arrays.items()}


def _skill_weights(skills: torch.Tensor) -> torch.Tensor:
    m = (skills > 0).float()
    return m / m.sum(-1, keepdim=True).clamp(min=1.0)


def _shift(h: torch.Tensor) -> torch.Tensor:
    """State before each position: zeros, then the output after position t-1."""
    return torch.cat([torch.zeros_like(h[:, :1]), h[:, :-1]], dim=1)


class DKT(nn.Module):
    """Deep knowledge tracing (Piech et al. 2015): LSTM over (skill, answer)."""

    kind = "dkt"

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        if cfg.dkt_input not in DKT_INPUTS:
            raise ValueError(f"dkt_input must be one of {DKT_INPUTS}")
        self.cfg = cfg
        self.inter = nn.Embedding(2 * cfg.n_skills, cfg.dim)
        self.rnn = nn.LSTM(cfg.dim, cfg.hidden, batch_first=True)
        self.drop = nn.Dropout(cfg.dropout)
        self.out = nn.Linear(cfg.hidden, cfg.n_skills)

    def forward(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        sk, r = batch["skills"], batch["r"]
        w = _skill_weights(sk)
        if self.cfg.dkt_input == "expanded":
            before = self._expanded_states(sk, r)
        else:
            wi = (sk > 0).float() if self.cfg.dkt_input == "sum" else w
            x = (self.inter(2 * sk + r.unsqueeze(-1)) * wi.unsqueeze(-1)).sum(2)
            h, _ = self.rnn(x)
            before = _shift(h)
        logits = self.out(self.drop(before))  # (B, T, n_skills)
        picked = torch.gather(logits, 2, sk)
        return (picked * w).sum(-1)

    def _expanded_states(self, sk: torch.Tensor, r: torch.Tensor) -> torch.Tensor:
        """One LSTM step per (skill, answer) of each question; the state before
        each question's first step (zeros for the first question)."""
        b, t, k = sk.shape
        valid = (sk > 0).reshape(b, t * k)
        # the skills of each learner, in order, packed to the front of the row
        order = torch.argsort((~valid).to(torch.int8), dim=1, stable=True)
        steps = torch.gather(sk.reshape(b, t * k), 1, order)
        answers = torch.gather(
            r.unsqueeze(-1).expand(b, t, k).reshape(b, t * k), 1, order
        )
        h, _ = self.rnn(self.inter(2 * steps + answers))
        count = (sk > 0).sum(-1)
        start = torch.cumsum(count, 1) - count  # each question's first step
        at = (start - 1).clamp(min=0).unsqueeze(-1).expand(b, t, h.shape[-1])
        return torch.gather(h, 1, at) * (start > 0).unsqueeze(-1).float()


class RaschGRU(nn.Module):
    """Our model: GRU over Rasch-embedded interactions plus a PFA head.

    item embedding   e_t = mean_s c_s + mu_q * mean_s v_s  (AKT-style Rasch)
    interaction      x_t = e_t + mean_s a_{s,r} + mu_q * u_r
    logit            MLP([h_{t-1}; e_t]) + b_q + mean_s(b_s + g_s . [succ, fail])
                     + w . dense_t
    """

    kind = "ours"

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.cfg = cfg
        d = cfg.dim
        self.skill = nn.Embedding(cfg.n_skills, d)
        self.skill_var = nn.Embedding(cfg.n_skills, d)
        self.q_mu = nn.Embedding(cfg.n_questions, 1)
        self.inter = nn.Embedding(2 * cfg.n_skills, d)
        self.resp_var = nn.Embedding(2, d)
        self.rnn = nn.GRU(d, cfg.hidden, batch_first=True)
        self.drop = nn.Dropout(cfg.dropout)
        self.fc1 = nn.Linear(cfg.hidden + d, cfg.hidden)
        self.fc2 = nn.Linear(cfg.hidden, 1)
        self.q_bias = nn.Embedding(cfg.n_questions, 1)
        self.skill_bias = nn.Embedding(cfg.n_skills, 1)
        self.skill_pfa = nn.Embedding(cfg.n_skills, 2)
        self.dense_w = nn.Linear(N_DENSE, 1, bias=False)
        for emb in (self.q_mu, self.q_bias, self.skill_bias, self.skill_pfa):
            nn.init.zeros_(emb.weight)
        nn.init.normal_(self.skill_var.weight, std=0.1)

    def question_params(self) -> list[torch.Tensor]:
        return [self.q_mu.weight, self.q_bias.weight]

    def forward(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        sk, r, q = batch["skills"], batch["r"], batch["q"]
        w = _skill_weights(sk).unsqueeze(-1)  # (B, T, K, 1)
        mu = self.q_mu(q)  # (B, T, 1)
        e = (self.skill(sk) * w).sum(2) + mu * (self.skill_var(sk) * w).sum(2)
        x = (
            e
            + (self.inter(2 * sk + r.unsqueeze(-1)) * w).sum(2)
            + mu * self.resp_var(r)
        )
        h, _ = self.rnn(x)
        z = torch.relu(self.fc1(torch.cat([self.drop(_shift(h)), e], dim=-1)))
        logit = self.fc2(self.drop(z)).squeeze(-1)
        feats = torch.stack([batch["succ"], batch["fail"]], dim=-1)  # (B,T,K,2)
        pfa = (self.skill_pfa(sk) * feats).sum(-1, keepdim=True) + self.skill_bias(sk)
        logit = logit + (pfa * w).sum((2, 3)) + self.q_bias(q).squeeze(-1)
        return logit + self.dense_w(batch["dense"]).squeeze(-1)


KTModel = DKT | RaschGRU
MODELS: dict[str, type[DKT] | type[RaschGRU]] = {"dkt": DKT, "ours": RaschGRU}


def export_weights(model: nn.Module) -> dict[str, np.ndarray]:
    """All parameters as float32 NumPy arrays, keyed by their torch names."""
    return {
        k: v.detach().cpu().numpy().astype(np.float32)
        for k, v in model.state_dict().items()
    }

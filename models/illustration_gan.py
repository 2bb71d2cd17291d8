"""A text-conditioned GAN that draws a product illustration from a MiniLM embedding of the product.

One file, read top to bottom: config, generator, discriminator, data, training, sampling.
- Generator: noise + a projection of the text embedding -> 4x4 features -> upsampling convolutions -> RGBA.
  One forward pass per picture, so sampling on a CPU takes milliseconds.
- Discriminator: strided convolutions with spectral norm, and a projection head that scores how well the
  picture fits the text (Miyato & Koyama, 2018). Hinge loss.
- Data: OpenMoji pictures (product subgroups by default) with their captions; the pictures kept for
  measuring quality never train it.
Training is meant for a GPU (it picks cuda when there is one); a checkpoint is written every
`checkpoint_every` steps and a later run resumes from it.
"""

import json
import math
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import spectral_norm

from models import minilm
from models.openmoji import caption_embeddings, catalogue, image_array

CHECKPOINT = "checkpoint.pt"
ARCHITECTURE = ("image_size", "z_dim", "width")
"""The settings a checkpoint's shapes depend on: a resumed run must keep them."""
WEIGHTS = "generator.pt"


@dataclass
class GANConfig:
    image_size: int = 64
    z_dim: int = 64
    width: int = 64
    """Channels of the last (largest) feature map; each halving of the size doubles them."""
    batch_size: int = 64
    steps: int = 20_000
    lr: float = 2e-4
    ema: float = 0.999
    """Sampling uses an exponential moving average of the generator's weights: steadier pictures."""
    cond_noise: float = 0.05
    """Noise on the text embedding while training, so nearby product texts land on sensible pictures."""
    subgroups: str = "product"
    """'product': product-like OpenMoji subgroups only; 'all': every usable OpenMoji picture."""
    checkpoint_every: int = 500
    seed: int = 7

    @classmethod
    def tiny(cls) -> "GANConfig":
        """Small enough to train a few steps on a CPU in a test."""
        return cls(image_size=16, z_dim=8, width=8, batch_size=8, steps=4, checkpoint_every=2)


def _blocks(config: GANConfig) -> list[int]:
    """Channel counts from 4x4 up to the image size: [.., 4w, 2w, w]."""
    n = int(math.log2(config.image_size // 4))
    return [config.width * 2 ** i for i in reversed(range(n + 1))]


class Generator(nn.Module):
    def __init__(self, config: GANConfig):
        super().__init__()
        chans = _blocks(config)
        self.cond = nn.Sequential(nn.Linear(minilm.DIM, 128), nn.LeakyReLU(0.2))
        self.start = nn.Linear(config.z_dim + 128, chans[0] * 16)
        self.ups = nn.ModuleList(
            nn.Sequential(nn.Upsample(scale_factor=2), nn.Conv2d(a, b, 3, padding=1), nn.BatchNorm2d(b), nn.ReLU())
            for a, b in zip(chans, chans[1:])
        )
        self.to_rgba = nn.Conv2d(chans[-1], 4, 3, padding=1)
        self.first = chans[0]

    def forward(self, z: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        h = self.start(torch.cat([z, self.cond(text)], dim=1)).view(-1, self.first, 4, 4)
        for up in self.ups:
            h = up(h)
        return torch.tanh(self.to_rgba(h))  # RGBA in [-1, 1]


class Discriminator(nn.Module):
    def __init__(self, config: GANConfig):
        super().__init__()
        chans = list(reversed(_blocks(config)))
        self.from_rgba = spectral_norm(nn.Conv2d(4, chans[0], 3, padding=1))
        self.downs = nn.ModuleList(
            nn.Sequential(spectral_norm(nn.Conv2d(a, b, 4, stride=2, padding=1)), nn.LeakyReLU(0.2))
            for a, b in zip(chans, chans[1:])
        )
        self.out = spectral_norm(nn.Linear(chans[-1], 1))
        self.project = spectral_norm(nn.Linear(minilm.DIM, chans[-1]))

    def forward(self, image: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        h = F.leaky_relu(self.from_rgba(image), 0.2)
        for down in self.downs:
            h = down(h)
        h = h.sum(dim=(2, 3))
        return self.out(h).squeeze(1) + (self.project(text) * h).sum(dim=1)


def training_data(config: GANConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """Pictures in [-1, 1] (n, 4, s, s) and caption embeddings (n, 384) of the 'train' split (Emoji.split)."""
    wanted = {"train", "other"} if config.subgroups == "all" else {"train"}
    emojis = [e for e in catalogue() if e.split in wanted]
    images = torch.from_numpy(image_array(emojis, config.image_size)) * 2 - 1
    texts = torch.from_numpy(caption_embeddings(emojis))
    return images, texts


def pick_device() -> str:
    return "cuda" if torch.cuda.is_available() else "cpu"


def train(config: GANConfig, out_dir: Path, log=print) -> dict:
    """Train to config.steps, resuming from out_dir's checkpoint; write the sampling weights at the end."""
    device = pick_device()
    torch.manual_seed(config.seed)
    images, texts = (t.to(device) for t in training_data(config))
    G, D = Generator(config).to(device), Discriminator(config).to(device)
    G_ema = Generator(config).to(device).eval()
    G_ema.load_state_dict(G.state_dict())
    opt_g = torch.optim.Adam(G.parameters(), lr=config.lr, betas=(0.0, 0.99))
    opt_d = torch.optim.Adam(D.parameters(), lr=config.lr * 2, betas=(0.0, 0.99))
    step, path = 0, out_dir / CHECKPOINT
    if path.is_file():
        state = torch.load(path, map_location=device, weights_only=True)
        shape = {k: state["config"][k] for k in ARCHITECTURE}
        if shape != {k: getattr(config, k) for k in ARCHITECTURE}:
            raise ValueError(f"{path} holds a generator with {shape}; train with the same settings to resume, "
                             "or choose another --out folder to start afresh")
        for module, key in ((G, "G"), (D, "D"), (G_ema, "G_ema"), (opt_g, "opt_g"), (opt_d, "opt_d")):
            module.load_state_dict(state[key])
        step = state["step"]
        log(f"resumed from step {step}")
    out_dir.mkdir(parents=True, exist_ok=True)
    started, first = time.perf_counter(), step
    while step < config.steps:
        idx = torch.randint(len(images), (config.batch_size,), device=device)
        real = images[idx]
        real = torch.where(torch.rand(len(idx), 1, 1, 1, device=device) < 0.5, real, real.flip(3))
        text = F.normalize(texts[idx] + config.cond_noise * torch.randn_like(texts[idx]), dim=1)
        z = torch.randn(len(idx), config.z_dim, device=device)

        fake = G(z, text)
        loss_d = F.relu(1 - D(real, text)).mean() + F.relu(1 + D(fake.detach(), text)).mean()
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()

        loss_g = -D(fake, text).mean()
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        with torch.no_grad():
            for p_ema, p in zip(G_ema.state_dict().values(), G.state_dict().values()):
                p_ema.copy_(p_ema * config.ema + p * (1 - config.ema) if p.is_floating_point() else p)
        step += 1
        if step % config.checkpoint_every == 0 or step == config.steps:
            torch.save({"G": G.state_dict(), "D": D.state_dict(), "G_ema": G_ema.state_dict(),
                        "opt_g": opt_g.state_dict(), "opt_d": opt_d.state_dict(), "step": step,
                        "config": asdict(config)}, path.with_suffix(".tmp"))
            path.with_suffix(".tmp").replace(path)  # a run killed mid-write keeps the last good checkpoint
            log(f"step {step}: loss_d {loss_d.item():.3f} loss_g {loss_g.item():.3f} "
                f"({(time.perf_counter() - started) / max(step - first, 1):.2f} s/step on {device})")
    torch.save({"G_ema": G_ema.state_dict(), "config": asdict(config), "step": step}, out_dir / WEIGHTS)
    (out_dir / "config.json").write_text(json.dumps({**asdict(config), "trained_steps": step}, indent=2))
    return {"steps": step, "device": device, "weights": str(out_dir / WEIGHTS)}


class Sampler:
    """The trained generator on CPU (or cuda), drawing RGBA pictures for product texts."""

    def __init__(self, weights: Path, device: str | None = None):
        state = torch.load(weights, map_location="cpu", weights_only=True)
        known = {f.name for f in fields(GANConfig)}
        self.config = GANConfig(**{k: v for k, v in state["config"].items() if k in known})
        self.step = state["step"]
        self.device = device or pick_device()
        self.G = Generator(self.config)
        self.G.load_state_dict(state["G_ema"])
        self.G.to(self.device).eval()

    @torch.inference_mode()
    def sample(self, embeddings: np.ndarray, seed: int = 0) -> np.ndarray:
        """RGBA pictures as uint8 (n, size, size, 4), one per embedding row; the same seed draws the same."""
        generator = torch.Generator().manual_seed(seed)
        z = torch.randn(len(embeddings), self.config.z_dim, generator=generator).to(self.device)
        out = self.G(z, torch.from_numpy(np.asarray(embeddings, dtype=np.float32)).to(self.device))
        return ((out.clamp(-1, 1) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).cpu().numpy()

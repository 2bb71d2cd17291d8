"""A user's own text-to-image model: any local diffusers pipeline directory (ADCRAFT_IMAGE_MODEL).

It only draws the picture. The banner sets every word itself, because image models garble text, and the
prompt asks for a picture without any. Needs the optional extra: pip install -e '.[image]'.
"""

import hashlib
from pathlib import Path

from PIL import Image

PROMPT = "a clean, simple product illustration of {product}, plain background, no text, no letters, no logo"
NEGATIVE = "text, letters, words, watermark, logo, signature"
STEPS = 25
SIZE = 512


class UserImageModel:
    def __init__(self, path: Path):
        path = Path(path)
        if not (path / "model_index.json").is_file():
            raise FileNotFoundError(
                f"ADCRAFT_IMAGE_MODEL={path} is not a diffusers pipeline folder (it has no model_index.json). "
                "Point it at a folder that DiffusionPipeline.save_pretrained wrote, or unset it to use the "
                "built-in illustrations."
            )
        try:
            import diffusers  # noqa: F401
        except ImportError:
            raise RuntimeError(
                "ADCRAFT_IMAGE_MODEL needs diffusers: pip install -e '.[image]' (or unset ADCRAFT_IMAGE_MODEL)."
            ) from None
        self.path = path
        digest = hashlib.sha256((path / "model_index.json").read_bytes()).hexdigest()[:10]
        self.version = f"{path.name}@{digest}"
        self._pipeline = None

    def _load(self):
        import torch
        from diffusers import AutoPipelineForText2Image

        cuda = torch.cuda.is_available()
        pipeline = AutoPipelineForText2Image.from_pretrained(
            self.path, local_files_only=True, torch_dtype=torch.float16 if cuda else torch.float32
        )
        return pipeline.to("cuda" if cuda else "cpu")

    def draw(self, product: str, seed: int) -> Image.Image:
        """One square picture for the product text; loading happens on first use."""
        import torch

        self._pipeline = self._pipeline or self._load()
        generator = torch.Generator(device=self._pipeline.device).manual_seed(seed)
        result = self._pipeline(PROMPT.format(product=product), negative_prompt=NEGATIVE, num_inference_steps=STEPS,
                                height=SIZE, width=SIZE, generator=generator)
        return result.images[0].convert("RGBA")

// Shrinking a photo in the browser before upload: upright (EXIF applied), long side ≤ MAX_SIDE.

export const MAX_SIDE = 2048;
const SENDABLE = new Set(["image/jpeg", "image/png", "image/webp"]);
const SMALL_ENOUGH = 4 * 1024 * 1024;

/**
 * Returns {blob, name}. A small JPEG/PNG/WebP that needs no shrinking is sent as it is (no
 * re-encoding loss; the server applies EXIF orientation itself). Anything the browser cannot
 * decode (HEIC on most non-Apple browsers) is sent untouched for the server to decode.
 */
export async function shrinkPhoto(file) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return { blob: file, name: file.name || "photo" };
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  if (scale === 1 && SENDABLE.has(file.type) && file.size <= SMALL_ENOUGH) {
    bitmap.close();
    return { blob: file, name: file.name || "photo" };
  }
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const context = canvas.getContext("2d");
  context.imageSmoothingQuality = "high";
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
  return { blob: blob || file, name: "photo.jpg" };
}

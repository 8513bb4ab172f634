// Draws a model's answer: ranked bars for classes (images and texts), boxes over the image for a
// detector, the mask over the image for a segmenter (asked with ?output=compact).

const COLOURS = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324"];
const MAX_SIDE = 384;

function item(list, label, value, colour) {
  const li = document.createElement("li");
  const name = document.createElement("span");
  name.className = "label";
  name.textContent = label;
  if (colour) {
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.backgroundColor = colour; // CSSOM, which the CSP allows: no inline style attribute
    li.append(swatch);
  }
  li.append(name);
  if (value !== undefined) {
    const meter = document.createElement("meter");
    meter.min = 0;
    meter.max = 1;
    meter.value = value;
    meter.setAttribute("aria-label", `${label}: ${value}`);
    const number = document.createElement("span");
    number.className = "value";
    number.textContent = value.toFixed(4);
    li.append(meter, number);
  }
  list.append(li);
  return li;
}

/** @return the image drawn on the canvas, at most MAX_SIDE a side, and the scale it was drawn at */
function drawImage(canvas, image) {
  const side = Math.max(image.naturalWidth, image.naturalHeight, 1);
  // small images (the 64×64 shapes, the 84×84 digits) are drawn larger, by whole pixels
  const drawn = side > MAX_SIDE ? MAX_SIDE / side : Math.floor(MAX_SIDE / side);
  canvas.width = Math.round(image.naturalWidth * drawn);
  canvas.height = Math.round(image.naturalHeight * drawn);
  const context = canvas.getContext("2d");
  context.imageSmoothingEnabled = false;
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return { context, scale: drawn };
}

function isClasses(answer) {
  return answer && typeof answer === "object" && !Array.isArray(answer)
    && Object.values(answer).length > 0 && Object.values(answer).every((v) => typeof v === "number");
}

function isDetections(answer) {
  return Array.isArray(answer) && answer.every((d) => d && typeof d === "object" && "score" in d);
}

function isMask(answer) {
  return answer && Array.isArray(answer.mask) && Array.isArray(answer.labels);
}

function boxes(canvas, image, detections, list) {
  const { context, scale } = drawImage(canvas, image);
  context.lineWidth = 2;
  context.font = "12px sans-serif";
  detections.forEach((detection, i) => {
    const label = Object.keys(detection).find((k) => k !== "score");
    const [x1, y1, x2, y2] = detection[label].map((v) => v * scale);
    const colour = COLOURS[i % COLOURS.length];
    context.strokeStyle = colour;
    context.fillStyle = colour;
    context.strokeRect(x1, y1, x2 - x1, y2 - y1);
    context.fillText(`${label} ${detection.score.toFixed(2)}`, x1 + 2, Math.max(y1 - 3, 10));
    item(list, label, detection.score, colour).dataset.box = detection[label].map((v) => v.toFixed(1)).join(",");
  });
  canvas.dataset.boxes = String(detections.length);
}

function mask(canvas, image, answer, list) {
  const { context, scale } = drawImage(canvas, image);
  const [height, width] = answer.shape;
  const overlay = new ImageData(width, height);
  const rgb = COLOURS.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  answer.mask.forEach((row, y) => row.forEach((cls, x) => {
    if (cls > 0) {
      const offset = (y * width + x) * 4;
      overlay.data.set([...rgb[(cls - 1) % rgb.length], 140], offset);
    }
  }));
  const layer = document.createElement("canvas");
  layer.width = width;
  layer.height = height;
  layer.getContext("2d").putImageData(overlay, 0, 0);
  context.drawImage(layer, 0, 0, width * scale, height * scale);
  answer.labels.forEach((label, i) => {
    if (i > 0) {
      item(list, `${label}: ${(answer.pixel_counts || {})[label] ?? 0} pixels`, undefined, COLOURS[(i - 1) % COLOURS.length]);
    }
  });
  canvas.dataset.mask = String(answer.labels.length);
}

/**
 * @param answer the model's JSON answer
 * @param image the image sent, loaded; null for a text
 * @param canvas where the image and what was found in it are drawn
 * @param list where the classes, boxes or mask labels are listed
 */
export function show(answer, image, canvas, list) {
  list.replaceChildren();
  canvas.width = 0;
  canvas.height = 0;
  delete canvas.dataset.boxes;
  delete canvas.dataset.mask;
  if (isDetections(answer) && image) {
    boxes(canvas, image, answer, list);
  } else if (isMask(answer) && image) {
    mask(canvas, image, answer, list);
  } else if (isClasses(answer)) {
    if (image) {
      drawImage(canvas, image);
    }
    Object.entries(answer).sort((a, b) => b[1] - a[1]).forEach(([label, p]) => item(list, label, p));
  } else if (image) {
    drawImage(canvas, image);
  }
}

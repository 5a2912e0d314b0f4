import { randomBytes } from 'node:crypto';
import type { Fate, LieKind } from './fault-decider.js';
import type { GenerateInput } from './generate-request.js';
import { imageSize } from './image-size.js';
import type { ModelSpec } from './models.js';
import type { OutputMediaType } from './options.js';
import { renderImage } from '@pixlock/fake-http-kit';

/** What the model was decided to do with one request. */
export interface AnswerPlan {
  fate: Fate;
  lie: LieKind;
  /** Paints the image's band: the seed when sent, else something unique to this charge. */
  variant: string;
}

/** How an answer is dressed, from the options. */
export interface AnswerStyle {
  mediaType: OutputMediaType;
  textPart: boolean;
  thoughtPart: boolean;
}

/** A GenerateContentResponse, and whether it carries an image the caller pays for. */
export interface BuiltAnswer {
  response: Record<string, unknown>;
  /** True when an image part was sent (lies included): the image is billed. */
  billed: boolean;
}

const NOT_AN_IMAGE = Buffer.from('<html><body>Service temporarily unavailable</body></html>');
const INPUT_IMAGE_TOKENS = 560;
const SAFETY_RATINGS = [
  { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
];

/** The image part as it is sent: honest, or lying in the planned way. */
async function imagePart(bytes: Buffer, plan: AnswerPlan, style: AnswerStyle) {
  let data = bytes;
  let mimeType: string = style.mediaType;
  if (plan.fate === 'lie') {
    if (plan.lie === 'not-an-image') data = NOT_AN_IMAGE;
    if (plan.lie === 'truncated-image') data = bytes.subarray(0, Math.floor(bytes.length / 2));
    if (plan.lie === 'wrong-mime-type') {
      mimeType = style.mediaType === 'image/png' ? 'image/jpeg' : 'image/png';
    }
  }
  return { inlineData: { mimeType, data: data.toString('base64') } };
}

/**
 * Builds the answer the model gives: a blocked prompt has no candidates, an unsafe image a
 * candidate without content, a text-only answer no image, and otherwise a rendered image of
 * the requested ratio and size (plus a text or thought part when the style asks).
 */
export async function buildAnswer(
  input: GenerateInput,
  model: ModelSpec,
  plan: AnswerPlan,
  style: AnswerStyle,
): Promise<BuiltAnswer> {
  const promptTokenCount =
    Math.ceil(input.prompt.length / 4) + INPUT_IMAGE_TOKENS * input.references.length;
  const meta = { modelVersion: model.id, responseId: randomBytes(9).toString('base64url') };
  const usage = (imageTokens: number, textTokens: number) => ({
    promptTokenCount,
    candidatesTokenCount: imageTokens + textTokens,
    totalTokenCount: promptTokenCount + imageTokens + textTokens,
    candidatesTokensDetails:
      imageTokens > 0 ? [{ modality: 'IMAGE', tokenCount: imageTokens }] : [],
  });
  if (plan.fate === 'prompt-blocked') {
    return {
      response: {
        promptFeedback: { blockReason: 'SAFETY', safetyRatings: SAFETY_RATINGS },
        usageMetadata: { promptTokenCount, totalTokenCount: promptTokenCount },
        ...meta,
      },
      billed: false,
    };
  }
  if (plan.fate === 'image-safety') {
    return {
      response: {
        candidates: [{ finishReason: 'IMAGE_SAFETY', index: 0, safetyRatings: SAFETY_RATINGS }],
        usageMetadata: usage(0, 0),
        ...meta,
      },
      billed: false,
    };
  }
  if (plan.fate === 'no-image' || !input.wantsImage) {
    const text = "I can't draw that, but here is a description of the scene instead.";
    return {
      response: {
        candidates: [
          { content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 },
        ],
        usageMetadata: usage(0, 16),
        ...meta,
      },
      billed: false,
    };
  }
  const { width, height } = imageSize(input.aspectRatio, input.imageSize);
  const render = (variant: string) =>
    renderImage({ width, height, mediaType: style.mediaType, prompt: input.prompt, variant });
  const parts: Record<string, unknown>[] = [];
  if (style.textPart) parts.push({ text: 'Here is the image you asked for.' });
  if (style.thoughtPart) {
    parts.push({
      ...(await imagePart(
        await render(`${plan.variant}:draft`),
        { ...plan, fate: 'image' },
        style,
      )),
      thought: true,
    });
  }
  parts.push(await imagePart(await render(plan.variant), plan, style));
  const imageTokens = model.tokens[input.imageSize] ?? 1120;
  return {
    response: {
      candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
      usageMetadata: usage(imageTokens, style.textPart ? 8 : 0),
      ...meta,
    },
    billed: true,
  };
}

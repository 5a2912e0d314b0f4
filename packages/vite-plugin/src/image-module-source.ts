import {
  blurPlaceholder,
  describeImage,
  placeholderCache,
  type ImageAssetFile,
  type Project,
} from '@pixlock/core';
import {
  allImagesModuleCode,
  imageModuleCode,
  type ImageModuleRequest,
  type UrlExpression,
} from './image-modules.js';

/**
 * The code of one image's module, or of the module with every image. `prepare` runs once per
 * file the module names before `urlOf` is asked for it (a build emits the file there).
 */
export async function imageModule(
  project: Project,
  request: NonNullable<ImageModuleRequest>,
  urlOf: UrlExpression,
  prepare?: (file: ImageAssetFile) => Promise<void>,
): Promise<string> {
  if (request.kind === 'all') {
    return allImagesModuleCode(project.manifest.images.map((i) => i.id));
  }
  const asset = describeImage(project, request.id);
  if (prepare) {
    for (const source of asset.sources) {
      for (const file of [source.main, ...source.candidates]) await prepare(file);
    }
  }
  const smallest = asset.candidates[0] ?? asset.main;
  const blur = await blurPlaceholder(smallest.file, {
    cache: placeholderCache(project.paths.cacheDir),
    sha256: smallest.sha256,
  });
  return imageModuleCode(asset, blur.dataUri, urlOf);
}

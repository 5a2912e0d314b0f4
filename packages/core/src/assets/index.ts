export { describeImage, type ImageAsset, type ImageAssetFile } from './describe-image.js';
export {
  blurPlaceholder,
  renderBlurPlaceholder,
  type BlurPlaceholder,
  type BlurPlaceholderOptions,
} from './blur-placeholder.js';
export {
  typeDeclarations,
  writeTypeDeclarations,
  IMAGE_MODULE_PREFIX,
  ALL_IMAGES_MODULE,
  type TypeDeclarationOptions,
} from './type-declarations.js';

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
  typeDeclarationsCurrent,
  TYPE_DECLARATIONS_FILE,
  IMAGE_TYPES_REFERENCE,
  IMAGE_MODULE_PREFIX,
  ALL_IMAGES_MODULE,
  type TypeDeclarationOptions,
} from './type-declarations.js';

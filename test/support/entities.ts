/**
 * Entity classes of other libs for unit specs that build their own in-memory DataSource and seed it
 * (product code reads another lib's tables only through that lib's exports; a test may set them up).
 */
export { User, UserRole } from '@stackgate/identity';

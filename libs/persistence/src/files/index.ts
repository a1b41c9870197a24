import { type DataSource } from 'typeorm';
import { type AppConfig } from '../../../config/src';
import { type FileStorage } from './file-storage';
import { PostgresFileStorage } from './postgres-file-storage';
import { S3FileStorage } from './s3-file-storage';

export * from './file-storage';
export * from './postgres-file-storage';
export * from './s3-file-storage';

/** The adapter FILE_STORAGE names. */
export function fileStorageFor(config: AppConfig, dataSource: DataSource): FileStorage {
  if (config.FILE_STORAGE === 's3') {
    return new S3FileStorage({
      endpoint: config.S3_ENDPOINT!,
      bucket: config.S3_BUCKET!,
      region: config.S3_REGION,
      accessKeyId: config.S3_ACCESS_KEY_ID!,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY!,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
    });
  }
  return new PostgresFileStorage(dataSource);
}

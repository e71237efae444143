import { BadRequestException, NotFoundException } from '@nestjs/common';
import { DomainError } from '@pool/domain';

/** A refused setting or target as the farmer area answers it: 400 with the domain's message (404 for an unknown farmer). */
export async function asHttpErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) {
      throw error.reason === 'FARMER_NOT_KNOWN' ? new NotFoundException(error.message) : new BadRequestException(error.message);
    }
    throw error;
  }
}

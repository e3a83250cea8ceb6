// The generator moved to core/ so the app can open generated meshes too (`?sample=generated-<n>`).
export { syntheticMeshFiles as generatedMeshFiles } from '../../core/generate/syntheticMesh.ts';

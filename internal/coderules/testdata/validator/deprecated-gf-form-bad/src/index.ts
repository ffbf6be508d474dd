import React from 'react';

export const MyComponent = () => {
  return <div className="gf-form">
    <label className="gf-form-label">Name</label>
    <div className="gf-form-group">
      <input type="text" />
    </div>
  </div>;
};
